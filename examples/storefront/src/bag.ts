// The bag: kept in localStorage while the shopper is anonymous (carts need a customer),
// and turned into the customer's cart when they sign in.
import { request, check } from './graphql.ts';
import { ActiveCartQuery, CartCreate, CartLinesAdd } from './cart-queries.ts';
import { isSignedIn } from './auth.ts';

export interface BagLine {
  merchandiseId: string;
  quantity: number;
  title: string;
}

const BAG = 'vitrine.bag';
const listeners = new Set<(count: number) => void>();

export const readBag = (): BagLine[] => JSON.parse(localStorage.getItem(BAG) ?? '[]') as BagLine[];
export const onBagChange = (listener: (count: number) => void) => listeners.add(listener);
export const notifyBag = (count: number) => listeners.forEach((listener) => listener(count));

function writeBag(lines: BagLine[]): void {
  if (lines.length) localStorage.setItem(BAG, JSON.stringify(lines));
  else localStorage.removeItem(BAG);
  notifyBag(lines.reduce((sum, line) => sum + line.quantity, 0));
}

/** Adds to the customer's cart when signed in, else to the bag. */
export async function addToBag(line: BagLine): Promise<void> {
  if (isSignedIn()) {
    const cart = await addToCart([{ merchandiseId: line.merchandiseId, quantity: line.quantity }]);
    notifyBag(cart?.totalQuantity ?? 0);
    return;
  }
  const lines = readBag();
  const existing = lines.find((l) => l.merchandiseId === line.merchandiseId);
  if (existing) existing.quantity += line.quantity;
  else lines.push(line);
  writeBag(lines);
}

async function addToCart(lines: { merchandiseId: string; quantity: number }[]) {
  const { customer } = await request(ActiveCartQuery);
  const cartId = customer?.activeCart?.id;
  if (cartId) return check((await request(CartLinesAdd, { cartId, lines })).cartLinesAdd).cart;
  return check((await request(CartCreate, { lines })).cartCreate).cart;
}

/** At sign-in: the bag's lines join the customer's active cart (or a new one), then the bag empties. */
export async function mergeBagIntoCart(): Promise<void> {
  const lines = readBag();
  if (!lines.length) return;
  const cart = await addToCart(lines.map(({ merchandiseId, quantity }) => ({ merchandiseId, quantity })));
  writeBag([]);
  notifyBag(cart?.totalQuantity ?? 0);
}
