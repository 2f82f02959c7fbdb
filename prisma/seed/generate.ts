// The demo catalog: a deterministic generator (same seed and size, same catalog, whatever
// the day) and a bulk loader. No network, no image files: image URLs point at the
// placeholders the API draws itself (src/images.ts).
import { generateCollections } from './collections.js';
import { HandleSet, TitleSet } from './naming.js';
import { generateProduct } from './products.js';
import { Random } from './random.js';
import type { GeneratedCatalog, ProductFacts, SeedOptions } from './shape.js';

export { BASE_DATE, SCHEDULED_DATE, type GeneratedCatalog, type SeedOptions } from './shape.js';
export { slugify } from './naming.js';

/**
 * Generates the catalog as plain rows with ids starting at 1. Pure: the same options give
 * the same rows, byte for byte.
 */
export function generateCatalog(options: SeedOptions = {}): GeneratedCatalog {
  const productCount = options.products ?? 1000;
  if (!Number.isSafeInteger(productCount) || productCount < 0) throw new RangeError('products must be a non-negative integer');
  const rng = new Random(options.seed ?? 1);
  const out: GeneratedCatalog = { products: [], options: [], images: [], variants: [], collections: [], collectionProducts: [] };
  const handles = new HandleSet();
  const titles = new TitleSet();
  const facts: ProductFacts[] = [];

  for (let index = 1; index <= productCount; index++) {
    facts.push(generateProduct(rng, index, out, handles, titles));
  }
  generateCollections(rng, facts, out);
  return out;
}
