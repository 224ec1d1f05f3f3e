import { describe, expect, it } from 'vitest';
import {
  CATEGORY_ICONS,
  clockToMinutes,
  CreateCategoryBody,
  CreateCrewBody,
  minutesToClock,
  UpdateCategoryBody,
  WorkingHoursBody,
} from '../../../server/src/contract/settings';

const category = {
  code: 'pavement',
  labelFr: 'Trottoir',
  labelEn: 'Pavement',
  icon: 'road',
  workType: 'asphalt',
  defaultServiceMinutes: 30,
};

describe('settings contract', () => {
  it('converts between minutes after midnight and HH:MM both ways', () => {
    for (const m of [0, 450, 480, 1439]) expect(clockToMinutes(minutesToClock(m))).toBe(m);
    expect(minutesToClock(7 * 60 + 5)).toBe('07:05');
    expect(WorkingHoursBody.safeParse({ dayStart: '23:59' }).success).toBe(true);
    for (const bad of ['24:00', '7:30', '07:5', '07h30'])
      expect(WorkingHoursBody.safeParse({ dayStart: bad }).success).toBe(false);
  });

  it('gives a new category its defaults and refuses icons the app does not draw', () => {
    expect(CreateCategoryBody.parse(category)).toMatchObject({ defaultPriority: 'normal', active: true });
    expect(CATEGORY_ICONS).toContain('other');
    expect(CreateCategoryBody.safeParse({ ...category, icon: 'unicorn' }).success).toBe(false);
    expect(CreateCategoryBody.safeParse({ ...category, workType: 'Voirie' }).success).toBe(false);
    expect(CreateCategoryBody.safeParse({ ...category, defaultServiceMinutes: '30' }).success).toBe(true);
  });

  it('needs at least one field to change a category, and never an unknown one', () => {
    expect(UpdateCategoryBody.safeParse({}).success).toBe(false);
    expect(UpdateCategoryBody.safeParse({ active: false }).success).toBe(true);
    expect(UpdateCategoryBody.safeParse({ reports: 3 }).success).toBe(false);
  });

  it('refuses a crew with a repeated work type', () => {
    expect(CreateCrewBody.parse({ name: ' Voirie ' })).toEqual({
      name: 'Voirie',
      workTypes: [],
      workingMinutes: 450,
      speedKmh: 40,
    });
    expect(CreateCrewBody.safeParse({ name: 'V', workTypes: ['asphalt', 'asphalt'] }).success).toBe(false);
  });
});
