import './staff.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { staffI18n } from './i18n';
import { StaffApp } from './StaffApp';

/** The staff area, served at /staff/ (built separately from the residents' app, never precached for them). */
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nextProvider i18n={staffI18n}>
      <StaffApp />
    </I18nextProvider>
  </StrictMode>,
);
