// Product page: images, option buttons (sold-out values struck through), the chosen variant
// from variantBySelectedOptions, and "Add to bag".
import { request, type ResultOf } from '../graphql.ts';
import { ProductQuery, VariantQuery } from '../catalog-queries.ts';
import { addToBag } from '../bag.ts';
import { busy, h, load, money } from '../ui.ts';

type Product = NonNullable<ResultOf<typeof ProductQuery>['product']>;

/** Whether some variant with `name = value` and the other current choices is for sale. */
function inStock(product: Product, chosen: Map<string, string>, name: string, value: string): boolean {
  return product.variants.nodes.some(
    (v) =>
      v.availableForSale &&
      v.selectedOptions.every((o) => (o.name === name ? o.value === value : !chosen.has(o.name) || chosen.get(o.name) === o.value)),
  );
}

function productPage(handle: string, product: Product): HTMLElement {
  const first = product.variants.nodes.find((v) => v.availableForSale) ?? product.variants.nodes[0];
  const chosen = new Map(first?.selectedOptions.map((o) => [o.name, o.value]));
  const mainImage = h('img', { class: 'main-image', src: product.images.nodes[0]?.url ?? '', alt: product.images.nodes[0]?.altText ?? '' });
  const options = h('div', { class: 'options' });
  const variantBox = h('div', { class: 'variant' });

  const renderOptions = () =>
    options.replaceChildren(
      ...product.options.map((option) =>
        h(
          'fieldset',
          { class: 'option' },
          h('legend', {}, option.name),
          ...option.optionValues.map(({ name: value }) => {
            const soldOut = !inStock(product, chosen, option.name, value);
            const label = soldOut ? `${value} (sold out)` : value;
            return h(
              'button',
              {
                type: 'button',
                class: `swatch${soldOut ? ' sold-out' : ''}`,
                'aria-pressed': String(chosen.get(option.name) === value),
                'aria-label': `${option.name}: ${label}`,
                onclick: () => (chosen.set(option.name, value), update()),
              },
              value,
            );
          }),
        ),
      ),
    );

  const update = () => {
    renderOptions();
    const selected = [...chosen].map(([name, value]) => ({ name, value }));
    void load(
      variantBox,
      () => request(VariantQuery, { handle, selected }),
      ({ product: p }) => {
        const variant = p?.variantBySelectedOptions;
        if (!variant) return h('p', { class: 'muted' }, 'This combination is not made.');
        if (variant.image) mainImage.src = variant.image.url;
        const errors = h('div', {});
        const add = h(
          'button',
          { class: 'primary', id: 'add-to-bag', disabled: !variant.availableForSale },
          variant.availableForSale ? 'Add to bag' : 'Sold out',
        );
        const added = h('p', { class: 'muted', role: 'status' });
        add.onclick = () =>
          void busy(
            add,
            async () => {
              await addToBag({ merchandiseId: variant.id, quantity: 1, title: `${product.title} — ${variant.title}` });
              added.textContent = `Added ${variant.title} to your bag.`;
            },
            errors,
          );
        return [
          h('p', { class: 'price' }, money(variant.price), variant.compareAtPrice ? h('s', {}, ` ${variant.compareAtPrice.amount}`) : null),
          add,
          added,
          errors,
        ];
      },
    );
  };
  update();

  const thumbs = product.images.nodes.map((image) =>
    h(
      'button',
      { type: 'button', class: 'thumb', onclick: () => (mainImage.src = image.url) },
      h('img', { src: image.url, alt: image.altText ?? '' }),
    ),
  );
  const description = h('div', { class: 'description' });
  description.innerHTML = product.descriptionHtml; // the shop's own, sanitised HTML
  return h(
    'article',
    { class: 'product' },
    h('div', { class: 'gallery' }, mainImage, h('div', { class: 'thumbs' }, ...thumbs)),
    h('div', { class: 'buy' }, h('p', { class: 'vendor' }, product.vendor), h('h1', {}, product.title), options, variantBox, description),
  );
}

export function productView(handle: string): HTMLElement {
  const root = h('div', {});
  void load(
    root,
    () => request(ProductQuery, { handle }),
    ({ product }) => (product ? productPage(handle, product) : h('p', { class: 'error' }, 'This product is not available.')),
  );
  return root;
}
