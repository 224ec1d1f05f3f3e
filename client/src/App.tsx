import { useEffect, useState } from 'react';

interface Commune {
  id: number;
  name: string;
}

/** Placeholder page until the resident PWA lands: shows that the API answers. */
export function App() {
  const [communes, setCommunes] = useState<Commune[] | null>(null);
  useEffect(() => {
    fetch('/api/communes')
      .then((r) => r.json() as Promise<Commune[]>)
      .then(setCommunes)
      .catch(() => setCommunes([]));
  }, []);
  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', padding: 16, maxWidth: 640, margin: '0 auto' }}>
      <h1>Vigie</h1>
      <p>Signalez un problème de voirie à votre commune.</p>
      {communes === null ? (
        <p>Chargement…</p>
      ) : (
        <ul>
          {communes.map((c) => (
            <li key={c.id}>{c.name}</li>
          ))}
        </ul>
      )}
    </main>
  );
}
