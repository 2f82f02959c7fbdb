// The Pothos builder and its plugins. Defines no types: each type family has its own
// file under ./types, and ./schema.ts imports them all.
import SchemaBuilder from '@pothos/core';
import ComplexityPlugin from '@pothos/plugin-complexity';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import type PrismaTypes from '../generated/pothos-types.js';
import { getDatamodel } from '../generated/pothos-types.js';
import { viewerCustomerId } from '../auth/viewer.js';
import { PAGE_SIZES } from '../config.js';
import { fieldComplexity } from './complexity.js';
import type { Context } from './context.js';
import { relayDescriptions } from './relay-options.js';
import { decodeGlobalId, encodeGlobalId } from './ids.js';

export const builder = new SchemaBuilder<{
  Context: Context;
  PrismaTypes: PrismaTypes;
  AuthScopes: { storefront: boolean; customer: boolean };
  AuthContexts: { customer: Context & { viewer: { customer: NonNullable<Context['viewer']['customer']> } } };
  DefaultFieldNullability: false;
  DefaultEdgesNullability: { list: false; items: false };
  DefaultNodeNullability: false;
  Scalars: {
    ID: { Input: string; Output: string | number };
    DateTime: { Input: Date; Output: Date };
    Decimal: { Input: string; Output: string };
    URL: { Input: string; Output: string };
    HTML: { Input: string; Output: string };
    JSON: { Input: unknown; Output: unknown };
  };
}>({
  plugins: [ScopeAuthPlugin, PrismaPlugin, RelayPlugin, ComplexityPlugin],
  // Field costs only: the limits are enforced before execution, by ./protections.ts,
  // since the plugin's own check runs inside root resolvers (a refusal with data, a 200).
  complexity: { fieldComplexity },
  defaultFieldNullability: false,
  prisma: {
    client: (ctx) => ctx.prisma,
    dmmf: getDatamodel(),
    exposeDescriptions: false,
    filterConnectionTotalCount: true,
    onUnusedQuery: (info) => {
      throw new Error(`Unused Prisma query in ${info.parentType.name}.${info.fieldName}`);
    },
    maxConnectionSize: PAGE_SIZES.max,
    defaultConnectionSize: PAGE_SIZES.default,
  },
  relay: {
    ...relayDescriptions,
    clientMutationId: 'omit',
    cursorType: 'String',
    edgesFieldOptions: { ...relayDescriptions.edgesFieldOptions, nullable: { list: false, items: false } },
    // Shopify's readable form, gid://vitrine/Product/291 (see ./ids.ts).
    encodeGlobalID: (typename, id) => encodeGlobalId(typename, id),
    decodeGlobalID: (globalId) => decodeGlobalId(globalId),
    // Replaced by batched fields in ./types/node.ts.
    nodeQueryOptions: false,
    nodesQueryOptions: false,
  },
  scopeAuth: {
    authScopes: (ctx) => ({
      storefront: ctx.viewer.storefront !== null,
      customer: viewerCustomerId(ctx.viewer) !== null,
    }),
    // Scope failures on types (a customer's cart read by someone else) must look like a
    // missing object, so node(id:) answers null rather than revealing existence.
    runScopesOnType: true,
    treatErrorsAsUnauthorized: true,
  },
});
