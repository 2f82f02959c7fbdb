// Which variant a shopper's option choices name: the rules behind Product's
// `variantBySelectedOptions` and `selectedOrFirstAvailableVariant`. Pure functions over the
// variants of one product, so the GraphQL fields load the variants once and ask here.
import { isVariantAvailable, type VariantStock } from './catalog.js';

export interface SelectedOption {
  name: string;
  value: string;
}

export interface OptionMatchSettings {
  /** Drop given options whose name no variant of the product has, instead of matching nothing. */
  ignoreUnknownOptions?: boolean | null;
  /** Compare names and values without regard to case. */
  caseInsensitiveMatch?: boolean | null;
}

/** The most options one lookup may name. */
export const MAX_SELECTED_OPTIONS = 10;

/** A variant's options as stored (a JSON list of { name, value }); anything else is ignored. */
export function readSelectedOptions(value: unknown): SelectedOption[] {
  if (!Array.isArray(value)) return [];
  const items: unknown[] = value;
  return items.filter(
    (item): item is SelectedOption =>
      typeof item === 'object' &&
      item !== null &&
      'name' in item &&
      'value' in item &&
      typeof item.name === 'string' &&
      typeof item.value === 'string',
  );
}

/**
 * The variant whose options are exactly the given ones, or null. Every option of the
 * variant must be given and every given option must match: `[{ Size: L }]` names no
 * variant of a product with Size and Color. A name no variant has makes the lookup fail
 * unless `ignoreUnknownOptions`; the same name given twice with different values fails.
 * Variants are expected in display order; the first exact match wins.
 */
export function matchVariantBySelectedOptions<V extends { selectedOptions: unknown }>(
  variants: readonly V[],
  selected: readonly SelectedOption[],
  settings: OptionMatchSettings = {},
): V | null {
  const fold = settings.caseInsensitiveMatch ? (text: string) => text.toLowerCase() : (text: string) => text;
  const options = variants.map((variant) => readSelectedOptions(variant.selectedOptions));
  const knownNames = new Set(options.flatMap((list) => list.map((option) => fold(option.name))));
  const wanted = new Map<string, string>();
  for (const option of selected) {
    const name = fold(option.name);
    if (!knownNames.has(name)) {
      if (settings.ignoreUnknownOptions) continue;
      return null;
    }
    const value = fold(option.value);
    const earlier = wanted.get(name);
    if (earlier !== undefined && earlier !== value) return null;
    wanted.set(name, value);
  }
  if (wanted.size === 0) return null;
  const index = options.findIndex(
    (list) => list.length === wanted.size && list.every((option) => wanted.get(fold(option.name)) === fold(option.value)),
  );
  return index === -1 ? null : variants[index]!;
}

/**
 * Shopify's `selectedOrFirstAvailableVariant`: the variant the given options name; when
 * none is given or none matches, the first variant for sale; when none is for sale, the
 * first variant; null only for a product without variants.
 */
export function selectedOrFirstAvailableVariant<V extends { selectedOptions: unknown } & VariantStock>(
  variants: readonly V[],
  selected: readonly SelectedOption[] | null | undefined,
  settings: OptionMatchSettings = {},
): V | null {
  const chosen = selected && selected.length > 0 ? matchVariantBySelectedOptions(variants, selected, settings) : null;
  return chosen ?? variants.find((variant) => isVariantAvailable(variant)) ?? variants[0] ?? null;
}
