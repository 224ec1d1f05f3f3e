import type { CategoryIconName } from '../../../server/src/contract/settings';

/**
 * Line drawings for the category icon names the server sends (`icon` of a category). Typed
 * against the contract's list, which admins pick from: an icon added there must be drawn here.
 */
const PATHS: Record<CategoryIconName, string[]> = {
  pothole: ['M3 17h18', 'M6 17c1-3 3.5-4 6-4s5 1 6 4', 'M9 15.5c1 .8 2 1 3 1s2-.2 3-1', 'M4 20h4M16 20h4'],
  road: ['M8 3 5 21', 'M16 3l3 18', 'M12 4v3M12 10v3M12 16v4', 'M14 11l2 1-1 2'],
  light: ['M8 21h8', 'M12 21V9', 'M12 9c0-3 2-5 5-5h1', 'M16 4h4l-1 3h-2z', 'M18 9l1 2M21 8l1 1'],
  sign: ['M12 22V12', 'M12 2 3 12h18z', 'M12 6v3', 'M12 10.5v.5', 'M9 22h6'],
  tree: ['M12 22v-6', 'M12 16c-4 0-7-2-7-6a7 7 0 0 1 14 0c0 4-3 6-7 6z', 'M3 21l6-5', 'M9 12l3 2 3-3'],
  drain: ['M4 6h16v12H4z', 'M8 6v12M12 6v12M16 6v12', 'M2 21c2-1 4-1 6 0s4 1 6 0 4-1 6 0'],
  dumping: ['M5 8h14l-1.5 13h-11z', 'M3 8h18', 'M9 8V5h6v3', 'M10 12v5M14 12v5'],
  other: [
    'M12 22a10 10 0 1 0 0-20 10 10 0 0 0 0 20z',
    'M9.5 9a2.5 2.5 0 1 1 3.5 2.3c-.7.3-1 .9-1 1.7',
    'M12 17v.5',
  ],
};

/** A category's icon; unknown icon names fall back to "other". Decorative: the label names the category. */
export function CategoryIcon({ icon, size = 32 }: { icon: string; size?: number }) {
  const paths = PATHS[icon as CategoryIconName] ?? PATHS.other;
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.6}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {paths.map((d) => (
        <path key={d} d={d} />
      ))}
    </svg>
  );
}
