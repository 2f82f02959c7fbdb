// Small numeric helpers shared by the benchmark's tables.

/** The mean, or NaN for no values (shown as n/a). */
export const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);

/** A number for a table cell: `digits` decimals, n/a when it is not finite. */
export const fmt = (x: number, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');
