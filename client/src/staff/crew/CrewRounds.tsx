import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PlanView } from '../../../../server/src/contract/plans';
import { getPlan, listPlansForCrew, localDate } from '../plans/plansApi';
import type { OutboxItem } from './outbox';
import { createOutboxRunner, type OutboxRunner } from './outboxRunner';
import {
  cachedMyCrews,
  cachedPlan,
  cachedPlans,
  cacheMyCrews,
  cachePlan,
  cachePlans,
  splitByCrew,
  withPending,
  withStop,
} from './planCache';
import { CrewPlan } from './CrewPlan';

/** Today's published rounds for a crew member; one opens into its stop list and map. */
export function CrewRounds() {
  const { t } = useTranslation();
  const [today] = useState(() => localDate(new Date()));
  const [plans, setPlans] = useState<PlanView[] | undefined>(() => cachedPlans(today));
  const [myCrews, setMyCrews] = useState<number[]>(() => cachedMyCrews() ?? []);
  const [offline, setOffline] = useState(false);
  const [openId, setOpenId] = useState<string | undefined>();
  const [plan, setPlan] = useState<PlanView | undefined>();
  const [runner, setRunner] = useState<OutboxRunner | undefined>();
  const [pending, setPending] = useState<OutboxItem[]>([]);

  useEffect(() => {
    const r = createOutboxRunner();
    setRunner(r);
    const off = r.subscribe(setPending);
    const offSent = r.onSent((p) => {
      cachePlan(p);
      setPlan((current) => (current?.id === p.id ? p : current));
    });
    void r.flush();
    return () => {
      off();
      offSent();
      r.stop();
    };
  }, []);

  useEffect(() => {
    listPlansForCrew(today)
      .then(({ items, myCrewIds }) => {
        setPlans(items);
        setMyCrews(myCrewIds);
        setOffline(false);
        cachePlans(today, items);
        cacheMyCrews(myCrewIds);
      })
      .catch(() => setOffline(true));
  }, [today]);

  useEffect(() => {
    if (!openId) return;
    const cached = cachedPlan(openId) ?? plans?.find((p) => p.id === openId);
    if (cached) setPlan(cached);
    getPlan(openId)
      .then((p) => {
        cachePlan(p);
        setPlan(p);
      })
      .catch(() => setOffline(true));
    // The list only seeds the first paint: the plan is fetched once per opening.
  }, [openId]);

  const waiting = pending.filter((i) => !i.rejected).length;
  const split = plans && splitByCrew(plans, myCrews);
  const status = (
    <p role="status" className="staff-notice">
      {waiting > 0 ? t('crew.waiting', { count: waiting }) : ''}
    </p>
  );

  if (openId && plan && runner) {
    const shown = withPending(plan, pending);
    return (
      <>
        {status}
        <CrewPlan
          plan={shown}
          rejected={pending.filter((i) => i.rejected && i.planId === plan.id)}
          pendingPhotos={
            new Map(
              pending.flatMap((i) =>
                i.planId === plan.id && i.photo ? [[i.reportId, i.photo] as const] : [],
              ),
            )
          }
          onBack={() => {
            setOpenId(undefined);
            setPlan(undefined);
          }}
          onUpdate={async (reportId, body, photo) => {
            // Optimistic: the plan shows the outcome now, and the cached copy keeps it offline.
            const updated = withStop(plan, reportId, body.status, body.note ?? null, body.at);
            setPlan(updated);
            cachePlan(updated);
            await runner.add(plan.id, reportId, body, photo);
          }}
        />
      </>
    );
  }

  return (
    <section className="staff-card" aria-labelledby="crew-title">
      <h1 id="crew-title">{t('crew.heading')}</h1>
      {status}
      {offline && <p className="staff-hint">{t('crew.offlineCopy')}</p>}
      {plans === undefined ? (
        <p>{t('common.loading')}</p>
      ) : myCrews.length === 0 ? (
        <>
          <p className="staff-hint">{t('crew.noCrew')}</p>
          <RoundList plans={plans} empty={t('crew.none')} onOpen={setOpenId} />
        </>
      ) : (
        <>
          <h2>{t('crew.mine')}</h2>
          <RoundList plans={split!.mine} empty={t('crew.noneMine')} onOpen={setOpenId} />
          <h2>{t('crew.others')}</h2>
          <p className="staff-hint">{t('crew.othersHint')}</p>
          <RoundList plans={split!.others} empty={t('crew.noneOthers')} onOpen={setOpenId} secondary />
        </>
      )}
    </section>
  );
}

/** A list of rounds, each a big button that opens it. */
function RoundList({
  plans,
  empty,
  onOpen,
  secondary = false,
}: {
  plans: PlanView[];
  empty: string;
  onOpen: (id: string) => void;
  secondary?: boolean;
}) {
  const { t } = useTranslation();
  if (plans.length === 0) return <p>{empty}</p>;
  return (
    <ul className={secondary ? 'staff-list staff-list-secondary' : 'staff-list'}>
      {plans.map((p) => (
        <li key={p.id}>
          <button type="button" className="staff-row-button" onClick={() => onOpen(p.id)}>
            <strong>
              {t('crew.planTitle', {
                crew: p.crew.name,
                workType: t(`common.workType_${p.workType}`, { defaultValue: p.workType }),
              })}
            </strong>
            <span>{t('crew.stopsCount', { count: p.stops.length })}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}
