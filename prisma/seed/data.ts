// Word lists for the demo catalog: vendors, product types with their names, options,
// price bands and weights, colours, and the copy used in descriptions.

export type Department = 'apparel' | 'footwear' | 'outdoor' | 'home';

/** A kind of item within a type, when its materials or sizes differ from the type's. */
export interface NounDef {
  name: string;
  materials?: readonly string[];
  /** null: this item has no sizes. */
  sizes?: readonly string[] | null;
  sizeStep?: number;
  /** Price band in whole currency units. */
  price?: readonly [number, number];
  /** Values of a Material option; empty: never offered as an option. */
  materialOption?: readonly string[];
}

export interface ProductTypeDef {
  /** Shopify's `productType`. */
  name: string;
  department: Department;
  nouns: readonly (string | NounDef)[];
  /** Words in titles that name what it is made of ("Merino Wool"). */
  materials: readonly string[];
  modifiers: readonly string[];
  /** Price band in whole currency units. */
  price: readonly [number, number];
  /** Weight band in grams. */
  weight: readonly [number, number];
  /** Ordered size scale, when the type comes in sizes. */
  sizes?: readonly string[];
  /** How much dearer each step up the size scale is (fraction of the base price). */
  sizeStep?: number;
  colors: readonly string[];
  /** Values of a Material option, cheapest first. */
  materialOption: readonly string[];
  vendors: readonly string[];
  seasons: readonly ('summer' | 'winter' | 'all-season')[];
  features: readonly string[];
}

export const CURRENCY = 'USD';

/** Colour names as shoppers see them, with the swatch used for variant images. */
export const COLORS: Readonly<Record<string, string>> = {
  Black: '1c1c1c',
  Charcoal: '36454f',
  'Heather Grey': 'a3a3a3',
  White: 'f5f5f2',
  Cream: 'f3ecdc',
  Oatmeal: 'e2d6c2',
  Sand: 'd9c5a0',
  Navy: '1f2a44',
  Sky: '7fb2d9',
  Forest: '2f4f3a',
  Sage: '9caf88',
  Olive: '6b6b3a',
  Rust: 'b7472a',
  Terracotta: 'c8553d',
  Burgundy: '6d1f2f',
  Mustard: 'd4a017',
  Slate: '5a6770',
  Copper: 'b87333',
  Walnut: '5c4033',
  Clay: 'b66a50',
};

const APPAREL_COLORS = [
  'Black',
  'Charcoal',
  'Heather Grey',
  'White',
  'Oatmeal',
  'Navy',
  'Forest',
  'Olive',
  'Rust',
  'Burgundy',
  'Sky',
  'Sand',
];
const OUTDOOR_COLORS = ['Black', 'Slate', 'Navy', 'Forest', 'Olive', 'Rust', 'Mustard', 'Sky', 'Sand', 'Terracotta'];
const HOME_COLORS = ['White', 'Cream', 'Sand', 'Sage', 'Terracotta', 'Charcoal', 'Slate', 'Clay', 'Walnut', 'Copper', 'Navy'];

const CLOTHING_SIZES = ['XS', 'S', 'M', 'L', 'XL', 'XXL'];

export const VENDORS = {
  apparel: ['Northwind Outfitters', 'Kestrel Athletics', 'Wren Studio', 'Alder & Pine'],
  outdoor: ['Summit Supply Co.', 'Fieldcraft', 'Basecamp Collective', 'Tidewater'],
  home: ['Harbor Home', 'Oak & Ember', 'Lumen Goods', 'Copperline'],
} as const;

export const PRODUCT_TYPES: readonly ProductTypeDef[] = [
  {
    name: 'Sweaters',
    department: 'apparel',
    nouns: ['Sweater', 'Crew Sweater', 'Cardigan', 'Quarter-Zip', 'Turtleneck', 'Fisherman Sweater', 'V-Neck Sweater'],
    materials: ['Merino Wool', 'Cashmere', 'Lambswool', 'Organic Cotton', 'Alpaca Blend', 'Recycled Wool'],
    modifiers: ['Classic', 'Chunky', 'Ribbed', 'Everyday', 'Cable-Knit', 'Lightweight', 'Heritage'],
    price: [59, 229],
    weight: [280, 650],
    sizes: CLOTHING_SIZES,
    colors: APPAREL_COLORS,
    materialOption: ['Cotton', 'Merino', 'Cashmere'],
    vendors: ['Northwind Outfitters', 'Wren Studio', 'Alder & Pine'],
    seasons: ['winter', 'winter', 'all-season'],
    features: [
      'Knit from fine yarns that soften with every wear',
      'Ribbed cuffs and hem hold their shape',
      'Relaxed fit that layers over a shirt',
      'Naturally breathable and odour resistant',
      'Hand wash cold and dry flat',
    ],
  },
  {
    name: 'T-Shirts',
    department: 'apparel',
    nouns: ['T-Shirt', 'Pocket Tee', 'Crew Tee', 'Long Sleeve Tee', 'Henley', 'Tank Top', 'Graphic Tee'],
    materials: ['Organic Cotton', 'Slub Cotton', 'Linen', 'Hemp', 'Pima Cotton', 'Recycled Cotton'],
    modifiers: ['Essential', 'Heavyweight', 'Garment-Dyed', 'Relaxed', 'Vintage Wash', 'Performance', 'Everyday'],
    price: [18, 58],
    weight: [140, 260],
    sizes: CLOTHING_SIZES,
    colors: APPAREL_COLORS,
    materialOption: ['Cotton', 'Linen', 'Hemp'],
    vendors: ['Northwind Outfitters', 'Kestrel Athletics', 'Wren Studio'],
    seasons: ['summer', 'all-season'],
    features: [
      'Pre-shrunk so the fit stays true',
      'Taped shoulder seams for structure',
      'Soft hand feel straight out of the bag',
      'Side-seamed for a clean drape',
      'Machine wash cold',
    ],
  },
  {
    name: 'Jackets',
    department: 'outdoor',
    nouns: ['Rain Jacket', 'Down Jacket', 'Shell Jacket', 'Fleece Jacket', 'Insulated Vest', 'Anorak', 'Chore Coat', 'Parka'],
    materials: ['Waxed Canvas', 'Recycled Nylon', 'Ripstop', 'Gore-Tex', 'Polar Fleece', 'Corduroy'],
    modifiers: ['Alpine', 'Packable', 'Storm', 'Trailhead', 'Coastal', 'Expedition', 'Urban'],
    price: [89, 449],
    weight: [300, 1200],
    sizes: CLOTHING_SIZES,
    colors: OUTDOOR_COLORS,
    materialOption: ['Nylon', 'Polyester', 'Waxed Cotton'],
    vendors: ['Summit Supply Co.', 'Fieldcraft', 'Tidewater', 'Northwind Outfitters'],
    seasons: ['winter', 'all-season'],
    features: [
      'Fully seam-sealed against wind and rain',
      'Two-way front zip with storm flap',
      'Adjustable hood fits over a helmet',
      'Packs into its own chest pocket',
      'PFC-free water-repellent finish',
    ],
  },
  {
    name: 'Pants',
    department: 'apparel',
    nouns: ['Chino', 'Hiking Pant', 'Jogger', 'Carpenter Pant', 'Trail Short', 'Utility Pant', 'Five-Pocket Pant'],
    materials: ['Stretch Twill', 'Organic Denim', 'Canvas', 'Ripstop', 'Linen Blend', 'Corduroy'],
    modifiers: ['Slim', 'Relaxed', 'Straight-Leg', 'Tapered', 'Everyday', 'Workwear', 'Travel'],
    price: [48, 168],
    weight: [250, 700],
    sizes: ['28', '30', '32', '34', '36', '38', '40'],
    colors: ['Black', 'Charcoal', 'Navy', 'Olive', 'Sand', 'Forest', 'Rust'],
    materialOption: ['Cotton', 'Stretch Cotton', 'Hemp Blend'],
    vendors: ['Alder & Pine', 'Kestrel Athletics', 'Fieldcraft'],
    seasons: ['all-season', 'summer'],
    features: [
      'Gusseted crotch for freedom of movement',
      'Deep front pockets and a zip back pocket',
      'Just enough stretch for long days',
      'Reinforced knees where wear starts first',
      'Flat-felled seams that will not chafe',
    ],
  },
  {
    name: 'Shoes',
    department: 'footwear',
    nouns: ['Trail Running Shoe', 'Hiking Boot', 'Sneaker', 'Chelsea Boot', 'Camp Moccasin', 'Slip-On', 'Approach Shoe', 'Sandal'],
    materials: ['Leather', 'Suede', 'Knit', 'Canvas', 'Recycled Mesh', 'Waterproof'],
    modifiers: ['Lightweight', 'All-Terrain', 'Classic', 'Low-Top', 'Mid', 'Everyday', 'Ridge'],
    price: [65, 260],
    weight: [450, 1400],
    sizes: ['7', '7.5', '8', '8.5', '9', '9.5', '10', '10.5', '11', '12', '13'],
    colors: ['Black', 'Charcoal', 'White', 'Navy', 'Olive', 'Rust', 'Sand', 'Slate'],
    materialOption: ['Mesh', 'Leather', 'Suede'],
    vendors: ['Summit Supply Co.', 'Kestrel Athletics', 'Basecamp Collective'],
    seasons: ['all-season', 'summer'],
    features: [
      'Grippy rubber outsole for wet rock and pavement',
      'Cushioned midsole that stays springy for miles',
      'Padded collar and gusseted tongue keep debris out',
      'Removable footbed for custom orthotics',
      'Resoleable construction built to last',
    ],
  },
  {
    name: 'Bags',
    department: 'outdoor',
    nouns: ['Daypack', 'Backpack', 'Duffel', 'Tote', 'Sling Bag', 'Roll-Top Pack', 'Weekender', 'Hip Pack'],
    materials: ['Waxed Canvas', 'Recycled Nylon', 'Leather', 'Cordura', 'Ripstop', 'Canvas'],
    modifiers: ['Commuter', 'Trail', 'Everyday', 'Travel', 'Utility', 'Summit', 'Packable'],
    price: [35, 289],
    weight: [200, 1600],
    sizes: ['15L', '20L', '28L', '35L', '45L'],
    sizeStep: 0.12,
    colors: OUTDOOR_COLORS,
    materialOption: ['Nylon', 'Canvas', 'Leather'],
    vendors: ['Basecamp Collective', 'Tidewater', 'Summit Supply Co.', 'Fieldcraft'],
    seasons: ['all-season', 'summer'],
    features: [
      'Padded laptop sleeve fits up to 16 inches',
      'Water-resistant base panel',
      'Quick-access front pocket for keys and phone',
      'Load-lifter straps and a sternum strap',
      'Lifetime warranty on seams and zips',
    ],
  },
  {
    name: 'Hats',
    department: 'apparel',
    nouns: ['Beanie', 'Cap', 'Bucket Hat', 'Sun Hat', 'Trucker Hat', 'Watch Cap', 'Brimmed Hat'],
    materials: ['Merino Wool', 'Organic Cotton', 'Waxed Canvas', 'Recycled Poly', 'Straw', 'Wool Felt'],
    modifiers: ['Classic', 'Fisherman', 'Foldable', 'Trail', 'Ribbed', 'Five-Panel', 'Vintage'],
    price: [22, 78],
    weight: [60, 180],
    sizes: ['S/M', 'L/XL'],
    colors: [...APPAREL_COLORS, 'Mustard'],
    materialOption: ['Cotton', 'Wool', 'Straw'],
    vendors: ['Northwind Outfitters', 'Wren Studio', 'Tidewater'],
    seasons: ['winter', 'summer'],
    features: [
      'Soft brushed lining against the skin',
      'Moisture-wicking sweatband',
      'Packs flat without losing its shape',
      'UPF 50+ sun protection',
      'One piece of material, minimal seams',
    ],
  },
  {
    name: 'Kitchen',
    department: 'home',
    nouns: [
      { name: 'Pour-Over Set', materials: ['Ceramic', 'Glass', 'Stoneware'], sizes: null, price: [28, 89] },
      { name: 'Mug', materials: ['Ceramic', 'Stoneware', 'Enamel'], sizes: ['8 oz', '12 oz', '16 oz'], sizeStep: 0.1, price: [16, 38] },
      { name: 'Skillet', materials: ['Cast Iron', 'Carbon Steel'], sizes: ['8"', '10"', '12"'], price: [35, 180] },
      { name: 'Chef Knife', materials: ['Carbon Steel', 'Damascus Steel'], sizes: ['6"', '8"', '10"'], price: [49, 240] },
      { name: 'Cutting Board', materials: ['Walnut', 'Maple', 'Olive Wood'], price: [35, 140] },
      { name: 'French Press', materials: ['Glass', 'Stainless Steel'], sizes: ['3 Cup', '8 Cup'], price: [29, 79] },
      { name: 'Salad Bowl', materials: ['Olive Wood', 'Stoneware', 'Walnut'], price: [32, 120] },
      { name: 'Tea Kettle', materials: ['Enamel', 'Stainless Steel', 'Copper'], sizes: null, price: [45, 140] },
      {
        name: 'Dinner Plate Set',
        materials: ['Stoneware', 'Porcelain', 'Ceramic'],
        sizes: ['Set of 2', 'Set of 4', 'Set of 6'],
        sizeStep: 0.8,
        price: [48, 120],
      },
    ],
    materials: ['Ceramic', 'Stoneware', 'Walnut', 'Enamel'],
    modifiers: ['Handmade', 'Everyday', 'Speckled', 'Matte', 'Artisan', 'Small-Batch', 'Heirloom'],
    price: [16, 240],
    weight: [250, 3200],
    sizes: ['Small', 'Medium', 'Large'],
    sizeStep: 0.2,
    colors: HOME_COLORS,
    materialOption: ['Stoneware', 'Porcelain', 'Enamel'],
    vendors: ['Harbor Home', 'Copperline', 'Oak & Ember'],
    seasons: ['all-season'],
    features: [
      'Dishwasher safe, though hand washing keeps the finish',
      'Each piece glazed and fired by hand, so no two match',
      'Oven safe up to 500°F',
      'Balanced weight that feels good in the hand',
      'Food-safe finish with no lead or cadmium',
    ],
  },
  {
    name: 'Home Decor',
    department: 'home',
    nouns: [
      {
        name: 'Throw Blanket',
        materials: ['Wool', 'Alpaca', 'Organic Cotton', 'Linen'],
        sizes: ['Throw', 'Queen', 'King'],
        price: [69, 260],
      },
      { name: 'Soy Candle', materials: ['Amber Glass', 'Stoneware'], sizes: ['8 oz', '14 oz'], price: [18, 42], materialOption: [] },
      { name: 'Planter', materials: ['Terracotta', 'Stoneware', 'Concrete'], price: [18, 120] },
      {
        name: 'Pillow Cover',
        materials: ['Linen', 'Wool', 'Organic Cotton'],
        sizes: ['18" x 18"', '20" x 20"', '12" x 20"'],
        sizeStep: 0.1,
        price: [28, 68],
      },
      {
        name: 'Table Lamp',
        materials: ['Brass', 'Oak', 'Stoneware'],
        sizes: null,
        price: [89, 320],
        materialOption: ['Brass', 'Oak', 'Stoneware'],
      },
      {
        name: 'Wall Hook Set',
        materials: ['Brass', 'Oak', 'Walnut'],
        sizes: null,
        price: [24, 90],
        materialOption: ['Brass', 'Oak', 'Walnut'],
      },
      { name: 'Woven Basket', materials: ['Seagrass', 'Jute', 'Rattan'], price: [28, 120], materialOption: ['Seagrass', 'Jute'] },
      { name: 'Bud Vase', materials: ['Stoneware', 'Glass', 'Terracotta'], price: [16, 48] },
    ],
    materials: ['Linen', 'Wool', 'Stoneware', 'Oak'],
    modifiers: ['Minimal', 'Handwoven', 'Natural', 'Modern', 'Rustic', 'Nordic', 'Cozy'],
    price: [18, 320],
    weight: [150, 2800],
    sizes: ['Small', 'Medium', 'Large'],
    sizeStep: 0.25,
    colors: HOME_COLORS,
    materialOption: ['Cotton', 'Linen', 'Wool'],
    vendors: ['Harbor Home', 'Lumen Goods', 'Oak & Ember', 'Wren Studio'],
    seasons: ['all-season', 'winter'],
    features: [
      'Made in small batches by independent makers',
      'Natural fibres and finishes that age beautifully',
      'Sized to work in small and large rooms alike',
      'Arrives gift-ready in recycled packaging',
      'Spot clean with a damp cloth',
    ],
  },
  {
    name: 'Camping',
    department: 'outdoor',
    nouns: [
      { name: 'Tent', materials: ['Ripstop Nylon', 'Dyneema', 'Freestanding'], price: [149, 599], materialOption: [] },
      {
        name: 'Sleeping Bag',
        materials: ['Down', 'Synthetic', 'Ultralight'],
        sizes: ['Regular', 'Long'],
        price: [99, 449],
        materialOption: ['Synthetic', 'Down'],
      },
      { name: 'Headlamp', materials: ['Rechargeable', 'Waterproof'], sizes: null, price: [25, 69], materialOption: [] },
      { name: 'Camp Chair', materials: ['Aluminum', 'Ultralight'], sizes: null, price: [45, 149], materialOption: [] },
      {
        name: 'Insulated Bottle',
        materials: ['Stainless Steel', 'Titanium'],
        sizes: ['12 oz', '20 oz', '32 oz'],
        sizeStep: 0.15,
        price: [24, 54],
        materialOption: ['Stainless Steel', 'Titanium'],
      },
      { name: 'Camp Stove', materials: ['Titanium', 'Compact'], sizes: null, price: [39, 129], materialOption: [] },
      { name: 'Hammock', materials: ['Ripstop', 'Ultralight'], sizes: ['Single', 'Double'], price: [49, 119], materialOption: [] },
      { name: 'Lantern', materials: ['Solar', 'Rechargeable'], sizes: null, price: [25, 79], materialOption: [] },
      {
        name: 'Camp Mug',
        materials: ['Titanium', 'Enamel', 'Stainless Steel'],
        sizes: ['12 oz', '16 oz'],
        sizeStep: 0.1,
        price: [15, 39],
        materialOption: ['Stainless Steel', 'Enamel', 'Titanium'],
      },
    ],
    materials: ['Ultralight', 'Titanium', 'Aluminum', 'Ripstop'],
    modifiers: ['Backcountry', 'Basecamp', 'Compact', 'Alpine', 'Trail', 'Four-Season', 'Weekend'],
    price: [15, 520],
    weight: [90, 3500],
    sizes: ['Solo', '2-Person', '4-Person'],
    sizeStep: 0.3,
    colors: OUTDOOR_COLORS,
    materialOption: ['Aluminum', 'Steel', 'Titanium'],
    vendors: ['Summit Supply Co.', 'Basecamp Collective', 'Fieldcraft', 'Lumen Goods'],
    seasons: ['summer', 'all-season'],
    features: [
      'Sets up in minutes with colour-coded clips',
      'Packs down small enough for a daypack',
      'Tested in wind, rain and freezing nights',
      'Replaceable parts and a lifetime repair program',
      'Weighs less than you would expect',
    ],
  },
];

export const INTROS: readonly string[] = [
  'The {title} is the one you reach for first: {material} made to be used every day.',
  'Designed by {vendor} for real life, the {title} pairs {material} with a shape that simply works.',
  'Meet the {title}. Honest {material}, careful details and nothing you do not need.',
  'Our take on a classic, the {title} is cut from {material} and finished by hand.',
  'Built for long weekends and ordinary Tuesdays, the {title} gets better the more you use it.',
  'A customer favourite, the {title} balances {material} with thoughtful design.',
];

/** Materials whose products get the `eco` tag. */
export const ECO_WORDS = ['Organic', 'Recycled', 'Hemp', 'Linen', 'Jute', 'Seagrass'];
