// The demo catalog: a deterministic generator (same seed and size, same catalog, whatever
// the day) and a bulk loader. No network, no image files: image URLs point at the
// placeholders the API draws itself (src/images.ts).
import type { Prisma, PrismaClient } from '../../src/generated/prisma/client.js';
import { refreshProductRollups } from '../../src/commerce/catalog.js';
import { placeholderImagePath } from '../../src/images.js';
import { COLORS, CURRENCY, ECO_WORDS, INTROS, PRODUCT_TYPES, type ProductTypeDef } from './data.js';
import { Random } from './random.js';

/** Everything is dated relative to this fixed instant, never the wall clock. */
export const BASE_DATE = new Date('2026-10-01T00:00:00.000Z');
/** Scheduled products and collections publish here: far enough ahead to stay in the future. */
export const SCHEDULED_DATE = new Date('2099-01-01T00:00:00.000Z');

const DAY = 86_400_000;
const MINUTE = 60_000;

export interface SeedOptions {
  /** Number of products (default 1000, about 4 variants each). */
  products?: number;
  /** PRNG seed (default 1). */
  seed?: number;
}

export interface SeedSummary {
  products: number;
  variants: number;
  options: number;
  images: number;
  collections: number;
  collectionProducts: number;
  /** Products a storefront sees today (ACTIVE and published). */
  publishedProducts: number;
  /** Products with no variant for sale. */
  soldOutProducts: number;
  ms: number;
}

type Row<T> = T & { id: number };

export interface GeneratedCatalog {
  products: Row<Prisma.ProductCreateManyInput>[];
  options: Row<Prisma.ProductOptionCreateManyInput>[];
  images: Row<Prisma.ProductImageCreateManyInput>[];
  variants: Row<Prisma.ProductVariantCreateManyInput>[];
  collections: Row<Prisma.CollectionCreateManyInput>[];
  collectionProducts: Prisma.CollectionProductCreateManyInput[];
}

/** What collection rules need to know about a generated product. */
interface ProductFacts {
  id: number;
  type: ProductTypeDef;
  vendor: string;
  tags: string[];
  minPrice: number;
  onSale: boolean;
  createdAt: Date;
  visible: boolean;
  scheduled: boolean;
}

export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .replace(/-and-/g, '-');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Light text on dark swatches, dark text on light ones. */
function contrastOn(hex: string): string {
  const n = parseInt(hex, 16);
  const luminance = 0.299 * ((n >> 16) & 255) + 0.587 * ((n >> 8) & 255) + 0.114 * (n & 255);
  return luminance > 150 ? '2b2b2b' : 'f7f4ee';
}

function code(text: string): string {
  const words = text
    .replace(/[^A-Za-z0-9 ]/g, ' ')
    .split(/\s+/)
    .filter(Boolean);
  const letters =
    words.length >= 3
      ? words.slice(0, 3).map((w) => w[0])
      : words.length === 2
        ? [words[0]![0], words[0]![1], words[1]![0]]
        : [...(words[0] ?? 'XXX').slice(0, 3)];
  return letters.join('').toUpperCase().padEnd(3, 'X');
}

type PriceStyle = 'nine' | 'five' | 'ten';

/** Rounds cents to a price that looks like one: 1999, 4500, 12900. */
function prettyPrice(cents: number, style: PriceStyle): number {
  const dollars = cents / 100;
  switch (style) {
    case 'nine':
      return Math.max(1, Math.round(dollars)) * 100 - 1;
    case 'five':
      return Math.max(5, Math.round(dollars / 5) * 5) * 100;
    case 'ten':
      return Math.max(9, Math.round(dollars / 10) * 10 - 1) * 100;
  }
}

/** Product lines: named like a shop names its ranges, they tell apart products that
 * would otherwise share a title ("Juniper Cast Iron Skillet"). */
const LINES = [
  'Aster',
  'Birch',
  'Cedar',
  'Dune',
  'Ember',
  'Fjord',
  'Glen',
  'Harbor',
  'Iris',
  'Juniper',
  'Kestrel',
  'Linden',
  'Meadow',
  'Nova',
  'Orchard',
  'Quarry',
  'Rowan',
  'Sierra',
  'Tundra',
  'Umber',
  'Vale',
  'Willow',
  'Yarrow',
  'Zephyr',
];

/** Hands out unique product titles without drawing random numbers (so every other value
 * of the catalog stays what the seed makes it). */
class TitleSet {
  private readonly used = new Set<string>();
  take(modifier: string | null, material: string | null, noun: string, modifiers: readonly string[], id: number): string {
    const title = (...words: (string | null)[]) => words.filter(Boolean).join(' ');
    const candidates = function* () {
      yield title(modifier, material, noun);
      for (let i = 0; i < modifiers.length; i++) yield title(modifiers[(id + i) % modifiers.length]!, material, noun);
      for (let i = 0; i < LINES.length; i++) yield title(LINES[(id + i) % LINES.length]!, modifier, material, noun);
    };
    for (const candidate of candidates()) {
      if (!this.used.has(candidate)) {
        this.used.add(candidate);
        return candidate;
      }
    }
    for (let n = 2; ; n++) {
      const candidate = `${title(modifier, material, noun)} No. ${n}`;
      if (!this.used.has(candidate)) {
        this.used.add(candidate);
        return candidate;
      }
    }
  }
}

class HandleSet {
  private readonly used = new Set<string>();
  take(base: string): string {
    let handle = base || 'item';
    for (let n = 2; this.used.has(handle); n++) handle = `${base}-${n}`;
    this.used.add(handle);
    return handle;
  }
}

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

function generateProduct(rng: Random, id: number, out: GeneratedCatalog, handles: HandleSet, titles: TitleSet): ProductFacts {
  const type = rng.pick(PRODUCT_TYPES);
  const vendor = rng.pick(type.vendors);
  const item = rng.pick(type.nouns);
  const noun = typeof item === 'string' ? { name: item } : item;
  const sizes = noun.sizes === undefined ? type.sizes : (noun.sizes ?? undefined);
  const sizeStep = noun.sizeStep ?? type.sizeStep ?? 0;
  const materialValues = noun.materialOption ?? noun.materials ?? type.materialOption;

  // Lifecycle: most products live, a few drafts, archived or scheduled for later.
  const createdAt = new Date(BASE_DATE.getTime() - rng.int(0, 365 * 24 * 60) * MINUTE);
  const lifecycle = rng.weighted([
    ['live', 93],
    ['draft', 3],
    ['archived', 2],
    ['scheduled', 2],
  ] as const);
  const status = lifecycle === 'draft' ? 'DRAFT' : lifecycle === 'archived' ? 'ARCHIVED' : 'ACTIVE';
  const publishedAt =
    lifecycle === 'draft'
      ? null
      : lifecycle === 'scheduled'
        ? new Date(SCHEDULED_DATE.getTime() + rng.int(0, 60) * DAY)
        : new Date(createdAt.getTime() + rng.int(0, 48 * 60) * MINUTE);
  const updatedAt = new Date(Math.min(BASE_DATE.getTime(), createdAt.getTime() + rng.int(0, 90) * DAY + rng.int(0, 1440) * MINUTE));

  // Options: 1 to 3 of Size, Color, Material, about 4 variants on average.
  const shape = rng.weighted([
    [1, 35],
    [2, 55],
    [3, 10],
  ] as const);
  const optionDefs: { name: 'Size' | 'Color' | 'Material'; values: string[] }[] = [];
  if (shape === 1) {
    if (sizes && rng.chance(0.5)) optionDefs.push({ name: 'Size', values: rng.run(sizes, rng.int(3, 5)) });
    else optionDefs.push({ name: 'Color', values: rng.sample(type.colors, rng.int(2, 5)) });
  } else if (shape === 2) {
    if (sizes) optionDefs.push({ name: 'Size', values: rng.run(sizes, rng.int(2, 4)) });
    optionDefs.push({ name: 'Color', values: rng.sample(type.colors, sizes ? rng.int(1, 2) : rng.int(2, 3)) });
    if (!sizes && materialValues.length > 0) optionDefs.push({ name: 'Material', values: rng.run(materialValues, rng.int(1, 2)) });
  } else {
    if (sizes) optionDefs.push({ name: 'Size', values: rng.run(sizes, 2) });
    optionDefs.push({ name: 'Color', values: rng.sample(type.colors, 2) });
    if (materialValues.length > 0) optionDefs.push({ name: 'Material', values: rng.run(materialValues, rng.int(1, 2)) });
  }
  // The title names a material unless a Material option lets the shopper choose one.
  const hasMaterialOption = optionDefs.some((o) => o.name === 'Material');
  const material = !hasMaterialOption && rng.chance(0.8) ? rng.pick(noun.materials ?? type.materials) : null;
  const modifier = material === null || rng.chance(0.35) ? rng.pick(type.modifiers) : null;
  const title = titles.take(modifier, material, noun.name, type.modifiers, id);
  const handle = handles.take(slugify(title));
  optionDefs.forEach((option, i) => {
    out.options.push({ id: out.options.length + 1, productId: id, name: option.name, position: i + 1, values: option.values });
  });

  // Prices: a base in the type's band (skewed low), steps for bigger sizes and dearer materials.
  const [low, high] = noun.price ?? type.price;
  const baseCents = Math.round((low + (high - low) * rng.next() ** 1.6) * 100);
  const style: PriceStyle =
    baseCents < 3000
      ? rng.weighted([
          ['nine', 7],
          ['five', 3],
        ] as const)
      : baseCents < 10000
        ? rng.weighted([
            ['nine', 4],
            ['five', 4],
            ['ten', 2],
          ] as const)
        : rng.weighted([
            ['nine', 2],
            ['five', 4],
            ['ten', 4],
          ] as const);
  const onSale = rng.chance(0.15);
  const saleFactor = 1.2 + rng.next() * 0.4;
  const saleOnAllVariants = rng.chance(0.8);

  // Stock: most products in stock with a few sizes gone, some entirely sold out, a few on backorder.
  const stock = rng.weighted([
    ['normal', 86],
    ['soldOut', 6],
    ['backorder', 3],
    ['low', 5],
  ] as const);

  // Images: one per colour (variants show their colour), plus general shots; 1 to 4 of those when no colours.
  const colors = optionDefs.find((o) => o.name === 'Color')?.values ?? [];
  const imageIdByColor = new Map<string, number>();
  let position = 0;
  const addImage = (hex: string, altText: string, width: number, height: number): number => {
    position += 1;
    const imageId = out.images.length + 1;
    const square = width === 800 && height === 800;
    out.images.push({
      id: imageId,
      productId: id,
      url: placeholderImagePath({
        kind: 'products',
        name: `${handle}-${position}`,
        background: hex,
        foreground: contrastOn(hex),
        ...(square ? {} : { width, height }),
      }),
      altText,
      width,
      height,
      position,
      createdAt,
    });
    return imageId;
  };
  for (const color of colors) imageIdByColor.set(color, addImage(COLORS[color] ?? '888888', `${title} in ${color}`, 800, 800));
  const extras = colors.length > 0 ? rng.int(0, 2) : rng.int(1, 4);
  const shots = ['', ' — detail', ' — on the shelf', ' — in use', ' — close-up'];
  for (let i = 0; i < extras; i++) {
    const hex = COLORS[rng.pick(type.colors)] ?? '888888';
    addImage(
      hex,
      `${title}${shots[i % shots.length]}`,
      i === 0 && colors.length === 0 ? 800 : 1200,
      i === 0 && colors.length === 0 ? 800 : 900,
    );
  }

  // Variants: the cartesian product of the option values, first option slowest.
  let combos: string[][] = [[]];
  for (const option of optionDefs) combos = combos.flatMap((combo) => option.values.map((value) => [...combo, value]));
  const [wLow, wHigh] = type.weight;
  const baseWeight = Math.round((wLow + (wHigh - wLow) * rng.next()) / 10) * 10;
  const skuPrefix = `${code(vendor)}-${code(type.name)}-${String(id).padStart(5, '0')}`;
  const facts = { minPrice: Number.POSITIVE_INFINITY, anyForSale: false, allMarkedDown: combos.length > 0 };
  combos.forEach((values, i) => {
    const selected = optionDefs.map((option, k) => ({ name: option.name, value: values[k]! }));
    const sizeValue = selected.find((s) => s.name === 'Size')?.value;
    const sizeRank = sizeValue === undefined ? 0 : optionDefs.find((o) => o.name === 'Size')!.values.indexOf(sizeValue);
    const materialValue = selected.find((s) => s.name === 'Material')?.value;
    const materialRank = materialValue ? materialValues.indexOf(materialValue) : 0;
    const cents = baseCents * (1 + sizeRank * sizeStep + materialRank * 0.25);
    const price = prettyPrice(cents, style);
    const compareAtPrice =
      onSale && (saleOnAllVariants || rng.chance(0.5)) ? Math.max(prettyPrice(price * saleFactor, style), price + 500) : null;

    let inventoryQuantity: number;
    let inventoryPolicy: 'DENY' | 'CONTINUE' = 'DENY';
    if (stock === 'soldOut') inventoryQuantity = 0;
    else if (stock === 'backorder') {
      inventoryPolicy = 'CONTINUE';
      inventoryQuantity = rng.int(-3, 8);
    } else if (stock === 'low') inventoryQuantity = rng.int(0, 3);
    else inventoryQuantity = rng.chance(0.1) ? 0 : Math.round(1 + 79 * rng.next() ** 2);

    facts.minPrice = Math.min(facts.minPrice, price);
    facts.allMarkedDown &&= compareAtPrice !== null && compareAtPrice > price;
    facts.anyForSale ||= inventoryQuantity > 0 || inventoryPolicy === 'CONTINUE';
    const color = selected.find((s) => s.name === 'Color')?.value;
    out.variants.push({
      id: out.variants.length + 1,
      productId: id,
      sku: `${skuPrefix}-${String(i + 1).padStart(2, '0')}`,
      title: values.join(' / '),
      position: i + 1,
      selectedOptions: selected,
      price,
      compareAtPrice,
      currencyCode: CURRENCY,
      inventoryQuantity,
      inventoryPolicy,
      weight: Math.round((baseWeight * (1 + 0.06 * sizeRank)) / 10) * 10,
      imageId: color === undefined ? null : (imageIdByColor.get(color) ?? null),
      createdAt,
      updatedAt,
    });
  });

  // Tags and copy.
  const tags = new Set<string>([type.department, slugify(type.name)]);
  tags.add(rng.pick(type.seasons));
  if (material) tags.add(slugify(material));
  if (material && ECO_WORDS.some((word) => material.includes(word))) tags.add('eco');
  // On sale: every variant shows a compare-at price above its price (not just some).
  if (facts.allMarkedDown) tags.add('sale');
  if (createdAt.getTime() >= BASE_DATE.getTime() - 30 * DAY) tags.add('new');
  if (rng.chance(0.15)) tags.add('gift');
  if (rng.chance(0.08)) tags.add('bestseller');
  if (rng.chance(0.03)) tags.add('limited-edition');

  const materialText = material ? material.toLowerCase().replace('gore-tex', 'Gore-Tex') : 'carefully chosen materials';
  const intro = rng.pick(INTROS).replaceAll('{title}', title).replaceAll('{material}', materialText).replaceAll('{vendor}', vendor);
  const features = rng.sample(type.features, 3);
  const care = rng.chance(0.5) ? `${vendor} stands behind every piece with a two-year warranty.` : null;
  const descriptionHtml = [
    `<p>${escapeHtml(intro)}</p>`,
    `<ul>${features.map((f) => `<li>${escapeHtml(f)}</li>`).join('')}</ul>`,
    care ? `<p><strong>Our promise:</strong> ${escapeHtml(care)}</p>` : '',
  ].join('');
  const description = [intro, ...features.map((f) => `${f}.`), care ? `Our promise: ${care}` : ''].filter(Boolean).join(' ');
  const seo = rng.chance(0.25);

  out.products.push({
    id,
    handle,
    title,
    description,
    descriptionHtml,
    vendor,
    productType: type.name,
    tags: [...tags],
    status,
    publishedAt,
    seoTitle: seo ? `${title} | ${vendor}` : null,
    seoDescription: seo ? intro.slice(0, 155) : null,
    currencyCode: CURRENCY,
    createdAt,
    updatedAt,
  });

  return {
    id,
    type,
    vendor,
    tags: [...tags],
    minPrice: facts.minPrice,
    onSale: facts.allMarkedDown,
    createdAt,
    visible: status === 'ACTIVE' && lifecycle !== 'scheduled',
    scheduled: lifecycle === 'scheduled',
  };
}

interface CollectionRule {
  title: string;
  description: string;
  pick: (p: ProductFacts) => boolean;
  order?: 'manual' | 'newest' | 'price';
  limit?: number;
  publishedAt?: 'past' | 'none' | 'scheduled';
}

function generateCollections(rng: Random, facts: ProductFacts[], out: GeneratedCatalog): void {
  const themed: CollectionRule[] = [
    {
      title: 'Summer Essentials',
      description: 'Light layers, sun hats and everything for long days outside.',
      pick: (p) => p.tags.includes('summer'),
    },
    { title: 'Winter Warmers', description: 'Wool, down and cosy things for cold mornings.', pick: (p) => p.tags.includes('winter') },
    { title: 'New Arrivals', description: 'The latest additions to the shop.', pick: (p) => p.visible, order: 'newest', limit: 48 },
    { title: 'Best Sellers', description: 'What everyone keeps coming back for.', pick: (p) => p.tags.includes('bestseller') },
    { title: 'Under $50', description: 'Great finds that are easy on the wallet.', pick: (p) => p.minPrice < 5000, order: 'price' },
    { title: 'On Sale', description: 'Limited-time markdowns while stock lasts.', pick: (p) => p.onSale },
    { title: 'Gift Ideas', description: 'Thoughtful presents for everyone on your list.', pick: (p) => p.tags.includes('gift') },
    { title: 'Eco Collection', description: 'Organic, recycled and natural materials.', pick: (p) => p.tags.includes('eco') },
    {
      title: 'Coming Soon',
      description: 'A preview of what is next (not published).',
      pick: (p) => p.scheduled || p.tags.includes('limited-edition'),
      publishedAt: 'none',
    },
    {
      title: 'Holiday Gift Guide',
      description: 'Our picks for the holidays, published later.',
      pick: (p) => p.tags.includes('gift'),
      limit: 60,
      publishedAt: 'scheduled',
    },
  ];
  const byType: CollectionRule[] = PRODUCT_TYPES.map((type) => ({
    title: type.name,
    description: `Every piece in our ${type.name.toLowerCase()} range.`,
    pick: (p) => p.type === type,
  }));
  const vendors = [...new Set(PRODUCT_TYPES.flatMap((t) => t.vendors))].sort();
  const byVendor: CollectionRule[] = vendors.map((vendor) => ({
    title: vendor,
    description: `The full line-up from ${vendor}.`,
    pick: (p) => p.vendor === vendor,
  }));

  const handles = new HandleSet();
  for (const rule of [...themed, ...byType, ...byVendor]) {
    const id = out.collections.length + 1;
    const handle = handles.take(slugify(rule.title));
    const createdAt = new Date(BASE_DATE.getTime() - rng.int(30, 400) * DAY);
    const publishedAt =
      rule.publishedAt === 'none'
        ? null
        : rule.publishedAt === 'scheduled'
          ? SCHEDULED_DATE
          : new Date(createdAt.getTime() + rng.int(0, 7) * DAY);
    const hex = Object.values(COLORS)[rng.int(0, Object.keys(COLORS).length - 1)]!;
    let members = facts.filter(rule.pick);
    if (rule.order === 'newest') members.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.id - a.id);
    else if (rule.order === 'price') members.sort((a, b) => a.minPrice - b.minPrice || a.id - b.id);
    else members = rng.shuffle(members);
    if (rule.limit !== undefined) members = members.slice(0, rule.limit);
    out.collections.push({
      id,
      handle,
      title: rule.title,
      description: rule.description,
      descriptionHtml: `<p>${escapeHtml(rule.description)}</p>`,
      imageUrl: placeholderImagePath({
        kind: 'collections',
        name: handle,
        background: hex,
        foreground: contrastOn(hex),
        width: 1200,
        height: 600,
        label: rule.title,
      }),
      imageAltText: rule.title,
      imageWidth: 1200,
      imageHeight: 600,
      seoTitle: `${rule.title} | Vitrine Demo Shop`,
      seoDescription: rule.description,
      publishedAt,
      createdAt,
      updatedAt: createdAt,
    });
    members.forEach((p, i) => out.collectionProducts.push({ collectionId: id, productId: p.id, position: i + 1 }));
  }
}

type Tx = Prisma.TransactionClient;

/** Reserves `count` ids from a table's sequence and returns the first; ids are never reused. */
async function reserveIds(tx: Tx, table: string, count: number): Promise<number> {
  if (count === 0) return 1;
  const rows = await tx.$queryRawUnsafe<{ first: bigint | number }[]>(
    `WITH s AS (SELECT nextval(pg_get_serial_sequence('"${table}"', 'id')) AS first)
     SELECT first, setval(pg_get_serial_sequence('"${table}"', 'id'), first + $1 - 1) FROM s`,
    count,
  );
  return Number(rows[0]!.first);
}

/** Rows per INSERT statement (one JSON parameter each). */
const CHUNK = 5000;

/**
 * Bulk INSERT: each chunk of rows travels as one JSON parameter that PostgreSQL turns into
 * rows typed like the table (json_populate_recordset), ten times faster than createMany
 * on PGlite. Rows are the generator's Prisma create inputs, so their shape is still
 * type-checked; every row carries the same keys.
 */
async function insertRows(tx: Tx, table: string, rows: readonly object[]): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!)
    .map((c) => `"${c}"`)
    .join(', ');
  for (let i = 0; i < rows.length; i += CHUNK) {
    const json = JSON.stringify(rows.slice(i, i + CHUNK));
    await tx.$executeRawUnsafe(
      `INSERT INTO "${table}" (${columns}) SELECT ${columns} FROM json_populate_recordset(NULL::"${table}", $1::json)`,
      json,
    );
  }
}

/**
 * Loads the demo catalog into the database in one transaction, with bulk INSERTs, then
 * sets featured images and the price/availability roll-ups. Meant for an empty catalog
 * (handles and SKUs would clash with an earlier load); ids come from the tables'
 * sequences, so a fresh database gets the same ids every time.
 */
export async function seedDemoCatalog(prisma: PrismaClient, options: SeedOptions = {}): Promise<SeedSummary> {
  const started = performance.now();
  const catalog = generateCatalog(options);
  await prisma.$transaction(
    async (tx) => {
      const firstProduct = await reserveIds(tx, 'Product', catalog.products.length);
      const firstOption = await reserveIds(tx, 'ProductOption', catalog.options.length);
      const firstImage = await reserveIds(tx, 'ProductImage', catalog.images.length);
      const firstVariant = await reserveIds(tx, 'ProductVariant', catalog.variants.length);
      const firstCollection = await reserveIds(tx, 'Collection', catalog.collections.length);
      const product = (id: number) => id + firstProduct - 1;
      const image = (id: number) => id + firstImage - 1;

      await insertRows(
        tx,
        'Product',
        catalog.products.map((p) => ({ ...p, id: product(p.id) })),
      );
      await insertRows(
        tx,
        'ProductOption',
        catalog.options.map((o) => ({ ...o, id: o.id + firstOption - 1, productId: product(o.productId) })),
      );
      await insertRows(
        tx,
        'ProductImage',
        catalog.images.map((i) => ({ ...i, id: image(i.id), productId: product(i.productId) })),
      );
      await insertRows(
        tx,
        'ProductVariant',
        catalog.variants.map((v) => ({
          ...v,
          id: v.id + firstVariant - 1,
          productId: product(v.productId),
          imageId: v.imageId == null ? null : image(v.imageId),
        })),
      );
      await insertRows(
        tx,
        'Collection',
        catalog.collections.map((c) => ({ ...c, id: c.id + firstCollection - 1 })),
      );
      await insertRows(
        tx,
        'CollectionProduct',
        catalog.collectionProducts.map((m) => ({
          ...m,
          collectionId: m.collectionId + firstCollection - 1,
          productId: product(m.productId),
        })),
      );

      if (catalog.products.length > 0) {
        const last = product(catalog.products.length);
        await tx.$executeRaw`
          UPDATE "Product" AS p SET "featuredImageId" = i.id
          FROM "ProductImage" AS i
          WHERE i."productId" = p.id AND i.position = 1 AND p.id BETWEEN ${firstProduct} AND ${last}`;
        await refreshProductRollups(
          tx,
          catalog.products.map((p) => product(p.id)),
        );
      }
    },
    { timeout: 30 * 60_000, maxWait: 60_000 },
  );

  const now = new Date();
  return {
    products: catalog.products.length,
    variants: catalog.variants.length,
    options: catalog.options.length,
    images: catalog.images.length,
    collections: catalog.collections.length,
    collectionProducts: catalog.collectionProducts.length,
    publishedProducts: catalog.products.filter((p) => p.status === 'ACTIVE' && p.publishedAt != null && new Date(p.publishedAt) <= now)
      .length,
    soldOutProducts: soldOut(catalog),
    ms: Math.round(performance.now() - started),
  };
}

function soldOut(catalog: GeneratedCatalog): number {
  const forSale = new Set<number>();
  for (const v of catalog.variants) if ((v.inventoryQuantity ?? 0) > 0 || v.inventoryPolicy === 'CONTINUE') forSale.add(v.productId);
  return catalog.products.filter((p) => !forSale.has(p.id)).length;
}
