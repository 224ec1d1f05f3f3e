import {
  initialState,
  outboxCounts,
  transition,
  type OutboxEffect,
  type OutboxEvent,
  type OutboxState,
  type SendOutcome,
  type SyncEntry,
  type TriggerReason,
} from './outbox.machine';

/** Timer functions, injected so tests drive time with fake timers. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The storage the runner needs (the outbox store, or a fake). */
export interface RunnerStore {
  listSync(): Promise<SyncEntry[]>;
  saveSync(entry: SyncEntry): Promise<void>;
  markSent(id: string, at: number): Promise<void>;
}

/** Everything with a side effect, passed in. */
export interface RunnerDeps {
  store: RunnerStore;
  /** Uploads one entry; must not throw (network failures are outcomes). */
  send(id: string): Promise<SendOutcome>;
  clock: Clock;
  random(): number;
  /** Registers a Background Sync where the browser has one; absent in the service worker itself. */
  requestBackgroundSync?(): void;
  /** Called after every change, for the UI (badge, lists). */
  onChange?(state: OutboxState): void;
  /** Storage failures (quota, a closed database): reported, never fatal to the loop. */
  onError?(error: unknown): void;
  /** Whether to set backoff timers: true in a page, false in a one-shot service-worker pass. */
  timers?: boolean;
}

/**
 * Runs the pure outbox machine against the real world: performs its effects one after the
 * other (storage writes in order), starts uploads, and feeds their outcomes back as events.
 */
export class OutboxRunner {
  private current: OutboxState = initialState();
  private chain: Promise<void> = Promise.resolve();
  private timer: unknown = null;
  private sending = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly deps: RunnerDeps) {}

  /** The machine's current state. */
  get state(): OutboxState {
    return this.current;
  }

  /** Waiting and needing-attention counts, for the badge. */
  get counts(): { waiting: number; attention: number } {
    return outboxCounts(this.current);
  }

  /** Feeds one event to the machine and schedules its effects. */
  dispatch(event: OutboxEvent): void {
    const { state, effects } = transition(this.current, event, {
      now: this.deps.clock.now(),
      random: () => this.deps.random(),
    });
    this.current = state;
    for (const effect of effects) this.perform(effect);
    this.deps.onChange?.(state);
    this.checkIdle();
  }

  /** Re-reads the outbox from storage (another context may have changed it), then triggers a pass. */
  refresh(reason: TriggerReason): Promise<void> {
    return this.enqueue(async () => {
      const entries = await this.deps.store.listSync();
      this.dispatch({ type: 'loaded', entries });
      this.dispatch({ type: 'trigger', reason });
    });
  }

  /** Resolves once nothing is being sent and every pending storage write is done. */
  idle(): Promise<void> {
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve);
      this.checkIdle();
    });
  }

  /** Stops the backoff timer (page unload, tests). */
  stop(): void {
    if (this.timer !== null) this.deps.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  private perform(effect: OutboxEffect): void {
    switch (effect.type) {
      case 'save':
        void this.enqueue(() => this.deps.store.saveSync(effect.entry));
        return;
      case 'markSent':
        void this.enqueue(() => this.deps.store.markSent(effect.id, effect.at));
        return;
      case 'send':
        this.sending++;
        // After the writes already queued (the attempt count), not blocking the ones that follow.
        void this.enqueue(async () => {
          void this.upload(effect.id);
        });
        return;
      case 'schedule':
        this.schedule(effect.at);
        return;
      case 'requestBackgroundSync':
        try {
          this.deps.requestBackgroundSync?.();
        } catch (err) {
          this.deps.onError?.(err);
        }
        return;
    }
  }

  private async upload(id: string): Promise<void> {
    let outcome: SendOutcome;
    try {
      outcome = await this.deps.send(id);
    } catch (err) {
      outcome = { kind: 'network', message: err instanceof Error ? err.message : String(err) };
    }
    this.sending--;
    this.dispatch({ type: 'sendFinished', id, outcome });
  }

  private schedule(at: number | null): void {
    this.stop();
    if (at === null || this.deps.timers === false) return;
    const delay = Math.max(0, at - this.deps.clock.now());
    this.timer = this.deps.clock.setTimeout(() => {
      this.timer = null;
      this.dispatch({ type: 'trigger', reason: 'timer' });
    }, delay);
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.chain.then(task).catch((err: unknown) => this.deps.onError?.(err));
    this.chain = run.then(() => this.checkIdle());
    return run;
  }

  private checkIdle(): void {
    if (this.sending > 0 || this.idleWaiters.length === 0) return;
    const chain = this.chain;
    void chain.then(() => {
      if (this.chain !== chain || this.sending > 0) return; // more work arrived meanwhile
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    });
  }
}
