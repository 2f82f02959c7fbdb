// Product-page helpers on Product: the variant a shopper's option choices name
// (`variantBySelectedOptions`) and the one to show first (`selectedOrFirstAvailableVariant`).
// The matching rules live in commerce/variant-options.ts.
import { findSelectedOrFirstAvailableVariant, findVariantBySelectedOptions } from '../../commerce/catalog-reads.js';
import { MAX_SELECTED_OPTIONS } from '../../commerce/variant-options.js';
import { builder } from '../builder.js';
import { badUserInput } from './common.js';
import { Product } from './product.js';

const SelectedOptionInput = builder.inputType('SelectedOptionInput', {
  description: 'One option a shopper chose, e.g. `{ name: "Size", value: "M" }`.',
  fields: (t) => ({
    name: t.string({ required: true, description: 'The option name, e.g. "Size".' }),
    value: t.string({ required: true, description: 'The chosen value, e.g. "M".' }),
  }),
});

function checkCount(options: readonly unknown[], min: number): void {
  if (options.length < min || options.length > MAX_SELECTED_OPTIONS) {
    throw badUserInput(`Pass between ${min} and ${MAX_SELECTED_OPTIONS} selected options.`, { field: ['selectedOptions'] });
  }
}

builder.prismaObjectFields(Product, (t) => {
  const settings = {
    ignoreUnknownOptions: t.arg.boolean({
      required: false,
      defaultValue: false,
      description: 'Ignore given options whose name no variant of the product has, instead of answering null.',
    }),
    caseInsensitiveMatch: t.arg.boolean({
      required: false,
      defaultValue: false,
      description: 'Compare option names and values without regard to case.',
    }),
  };
  return {
    variantBySelectedOptions: t.prismaField({
      type: 'ProductVariant',
      nullable: true,
      description:
        'The variant whose options are exactly the given ones (every option of the product named once), or null when there is none.',
      args: {
        selectedOptions: t.arg({ type: [SelectedOptionInput], required: true, description: 'The options the shopper chose.' }),
        ...settings,
      },
      resolve: (query, product, args, ctx) => {
        checkCount(args.selectedOptions, 1);
        return findVariantBySelectedOptions(ctx.prisma, query, product.id, args.selectedOptions, args);
      },
    }),
    selectedOrFirstAvailableVariant: t.prismaField({
      type: 'ProductVariant',
      nullable: true,
      description:
        'The variant the given options name; else the first variant for sale; else the first variant. Null only for a product without variants.',
      args: {
        selectedOptions: t.arg({ type: [SelectedOptionInput], required: false, description: 'The options the shopper chose, if any.' }),
        ...settings,
      },
      resolve: (query, product, args, ctx) => {
        if (args.selectedOptions) checkCount(args.selectedOptions, 0);
        return findSelectedOrFirstAvailableVariant(ctx.prisma, query, product.id, args.selectedOptions, args);
      },
    }),
  };
});
