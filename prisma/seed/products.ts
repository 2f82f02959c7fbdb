// One generated product: type, title, options, variants with prices and stock, images,
// SEO fields and its publication state, all drawn from the seeded random source.
import { placeholderImagePath } from '../../src/images.js';
import { COLORS, CURRENCY, ECO_WORDS, INTROS, PRODUCT_TYPES } from './data.js';
import { code, contrastOn, escapeHtml, prettyPrice, slugify, type HandleSet, type PriceStyle, type TitleSet } from './naming.js';
import type { Random } from './random.js';
import { BASE_DATE, DAY, MINUTE, SCHEDULED_DATE, type GeneratedCatalog, type ProductFacts } from './shape.js';

export function generateProduct(rng: Random, id: number, out: GeneratedCatalog, handles: HandleSet, titles: TitleSet): ProductFacts {
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
