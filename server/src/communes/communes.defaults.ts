import type { Priority } from '../contract/common';

/** A category as created for a new commune (the town hall can edit them later). */
export interface CategoryDefault {
  code: string;
  labelFr: string;
  labelEn: string;
  icon: string;
  /** Reports of one work type share material and equipment and are batched into one round. */
  workType: string;
  defaultServiceMinutes: number;
  defaultPriority: Priority;
}

/**
 * Categories every new commune starts with. Work types group them by what the crew loads in
 * the truck: asphalt (cold mix) for potholes and surface repairs, a bucket truck for lights...
 */
export const DEFAULT_CATEGORIES: readonly CategoryDefault[] = [
  {
    code: 'pothole',
    labelFr: 'Nid-de-poule',
    labelEn: 'Pothole',
    icon: 'pothole',
    workType: 'asphalt',
    defaultServiceMinutes: 20,
    defaultPriority: 'normal',
  },
  {
    code: 'road_surface',
    labelFr: 'Chaussée dégradée',
    labelEn: 'Damaged road surface',
    icon: 'road',
    workType: 'asphalt',
    defaultServiceMinutes: 45,
    defaultPriority: 'normal',
  },
  {
    code: 'street_light',
    labelFr: 'Éclairage public en panne',
    labelEn: 'Street light out',
    icon: 'light',
    workType: 'lighting',
    defaultServiceMinutes: 30,
    defaultPriority: 'normal',
  },
  {
    code: 'sign',
    labelFr: 'Panneau endommagé ou manquant',
    labelEn: 'Damaged or missing sign',
    icon: 'sign',
    workType: 'signage',
    defaultServiceMinutes: 25,
    defaultPriority: 'high',
  },
  {
    code: 'fallen_tree',
    labelFr: 'Arbre ou branche tombé',
    labelEn: 'Fallen tree or branch',
    icon: 'tree',
    workType: 'green',
    defaultServiceMinutes: 40,
    defaultPriority: 'high',
  },
  {
    code: 'blocked_drain',
    labelFr: 'Avaloir ou fossé bouché',
    labelEn: 'Blocked drain',
    icon: 'drain',
    workType: 'drainage',
    defaultServiceMinutes: 30,
    defaultPriority: 'normal',
  },
  {
    code: 'illegal_dumping',
    labelFr: 'Dépôt sauvage',
    labelEn: 'Illegal dumping',
    icon: 'dumping',
    workType: 'cleaning',
    defaultServiceMinutes: 30,
    defaultPriority: 'normal',
  },
  {
    code: 'other',
    labelFr: 'Autre',
    labelEn: 'Other',
    icon: 'other',
    workType: 'general',
    defaultServiceMinutes: 20,
    defaultPriority: 'low',
  },
];
