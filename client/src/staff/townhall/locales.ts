/** Texts shared by the town hall's screens (history, report page, statistics, settings). French first. */
export const fr = {
  status: {
    new: 'Nouveau',
    acknowledged: 'Pris en compte',
    planned: 'Planifié',
    in_progress: 'En cours',
    fixed: 'Réparé',
    not_fixable: 'Non réparable',
    duplicate: 'Doublon',
    rejected: 'Rejeté',
  },
  priority: { low: 'Basse', normal: 'Normale', high: 'Haute', danger: 'Danger' },
};

export const en: typeof fr = {
  status: {
    new: 'New',
    acknowledged: 'Acknowledged',
    planned: 'Planned',
    in_progress: 'In progress',
    fixed: 'Fixed',
    not_fixable: 'Not fixable',
    duplicate: 'Duplicate',
    rejected: 'Rejected',
  },
  priority: { low: 'Low', normal: 'Normal', high: 'High', danger: 'Danger' },
};
