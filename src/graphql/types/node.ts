// The Relay `node` and `nodes` root fields, batched per type (see ../node-loader.ts).
import { PAGE_SIZES } from '../../config.js';
import { builder } from '../builder.js';
import { ANY_GLOBAL_ID } from '../input-checks.js';
import { loadNodes } from '../node-loader.js';

const MAX_IDS = PAGE_SIZES.max;

builder.queryFields((t) => ({
  node: t.field({
    type: builder.nodeInterfaceRef(),
    nullable: true,
    description: 'Fetches an object by its globally unique ID; null when it does not exist or is not visible to you.',
    args: { id: t.arg.id({ required: true, description: 'The global ID of the object.', extensions: { [ANY_GLOBAL_ID]: true } }) },
    resolve: async (_root, args, ctx, info) => (await loadNodes([String(args.id)], ctx, info))[0],
  }),
  nodes: t.field({
    type: [builder.nodeInterfaceRef()],
    nullable: { list: false, items: true },
    description: `Fetches up to ${MAX_IDS} objects by their globally unique IDs, in order; null for each that does not exist or is not visible to you.`,
    args: { ids: t.arg.idList({ required: true, description: 'The global IDs of the objects.', extensions: { [ANY_GLOBAL_ID]: true } }) },
    resolve: (_root, args, ctx, info) => loadNodes(args.ids.map(String), ctx, info),
  }),
}));
