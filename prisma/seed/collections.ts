// The demo collections: themed, by type, by vendor, on sale, newest, plus unpublished and
// scheduled ones, each picking its products by a rule over the generated facts.
import { placeholderImagePath } from '../../src/images.js';
import { COLORS, PRODUCT_TYPES } from './data.js';
import { contrastOn, escapeHtml, HandleSet, slugify } from './naming.js';
import type { Random } from './random.js';
import { BASE_DATE, DAY, SCHEDULED_DATE, type GeneratedCatalog, type ProductFacts } from './shape.js';

interface CollectionRule {
  title: string;
  description: string;
  pick: (p: ProductFacts) => boolean;
  order?: 'manual' | 'newest' | 'price';
  limit?: number;
  publishedAt?: 'past' | 'none' | 'scheduled';
}

export function generateCollections(rng: Random, facts: ProductFacts[], out: GeneratedCatalog): void {
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
