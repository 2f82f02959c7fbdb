// Database ids behind global IDs. A malformed id finds nothing; it never reaches SQL.
const INT_ID = /^[1-9]\d{0,9}$/;

export function intId(id: string | number): number | null {
  const text = String(id);
  if (!INT_ID.test(text)) return null;
  const value = Number(text);
  return value <= 2_147_483_647 ? value : null;
}

/** For node lookups by a where clause: an id no row can have. */
export const NO_ROW = -1;
