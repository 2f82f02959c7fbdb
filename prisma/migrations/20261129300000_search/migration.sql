-- Search: a weighted full-text document per product, kept current by triggers, and a
-- lexicon of catalog words for typo correction and suggestions. Needs pg_trgm and
-- unaccent (PGlite gets them in src/db/pglite.ts; PostgreSQL ships them as trusted
-- extensions).
CREATE EXTENSION IF NOT EXISTS "pg_trgm";
CREATE EXTENSION IF NOT EXISTS "unaccent";

-- unaccent() is STABLE (it reads its dictionary through the search_path); index and
-- document expressions need an IMMUTABLE function naming its dictionary explicitly.
CREATE FUNCTION vitrine_unaccent(input text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT unaccent('unaccent'::regdictionary, input) $$;

-- The search document: title A; vendor, product type and tags B; description C;
-- variant titles (option values) and SKUs D. English stemming, accents folded.
CREATE FUNCTION vitrine_product_document(title text, description text, vendor text, product_type text, tags text[], variants text)
  RETURNS tsvector
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$
    SELECT setweight(to_tsvector('english'::regconfig, vitrine_unaccent(coalesce(title, ''))), 'A')
        || setweight(to_tsvector('english'::regconfig, vitrine_unaccent(concat_ws(' ', vendor, product_type, array_to_string(tags, ' ')))), 'B')
        || setweight(to_tsvector('english'::regconfig, vitrine_unaccent(coalesce(description, ''))), 'C')
        || setweight(to_tsvector('english'::regconfig, vitrine_unaccent(coalesce(variants, ''))), 'D')
  $$;

-- The words a product contributes to the lexicon: unaccented, lower case, unstemmed.
CREATE FUNCTION vitrine_search_words(title text, vendor text, product_type text, tags text[])
  RETURNS text[]
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$
    SELECT coalesce(array_agg(w), '{}')
    FROM unnest(tsvector_to_array(to_tsvector('simple'::regconfig,
           vitrine_unaccent(concat_ws(' ', title, vendor, product_type, array_to_string(tags, ' ')))))) AS w
    WHERE length(w) BETWEEN 2 AND 40
  $$;

-- AlterTable
ALTER TABLE "Product" ADD COLUMN "searchDocument" tsvector;

-- CreateTable
CREATE TABLE "SearchWord" (
    "word" TEXT NOT NULL,
    "products" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "SearchWord_pkey" PRIMARY KEY ("word")
);

-- CreateIndex
CREATE INDEX "Product_searchDocument_idx" ON "Product" USING GIN ("searchDocument");

-- CreateIndex
CREATE INDEX "SearchWord_word_idx" ON "SearchWord" USING GIST ("word" gist_trgm_ops);

-- A product's own columns changed (or it is new): rebuild its document from the row and
-- its variants.
CREATE FUNCTION vitrine_product_search_row() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  NEW."searchDocument" := vitrine_product_document(NEW.title, NEW.description, NEW.vendor, NEW."productType", NEW.tags,
    (SELECT string_agg(concat_ws(' ', v.title, v.sku), ' ' ORDER BY v.position) FROM "ProductVariant" AS v WHERE v."productId" = NEW.id));
  RETURN NEW;
END
$$;

CREATE TRIGGER "Product_search_document"
  BEFORE INSERT OR UPDATE OF title, description, vendor, "productType", tags ON "Product"
  FOR EACH ROW EXECUTE FUNCTION vitrine_product_search_row();

-- Variants were added, renamed, moved or removed: rebuild their products' documents,
-- once per statement (bulk loads stay one UPDATE).
CREATE FUNCTION vitrine_variant_search_refresh() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
DECLARE
  ids integer[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    ids := ARRAY(SELECT DISTINCT "productId" FROM new_rows);
  ELSIF TG_OP = 'DELETE' THEN
    ids := ARRAY(SELECT DISTINCT "productId" FROM old_rows);
  ELSE
    ids := ARRAY(
      SELECT n."productId" FROM new_rows AS n JOIN old_rows AS o ON o.id = n.id
      WHERE (n.title, n.sku, n.position, n."productId") IS DISTINCT FROM (o.title, o.sku, o.position, o."productId")
      UNION
      SELECT o."productId" FROM new_rows AS n JOIN old_rows AS o ON o.id = n.id
      WHERE n."productId" IS DISTINCT FROM o."productId");
  END IF;
  IF cardinality(ids) > 0 THEN
    UPDATE "Product" AS p
    SET "searchDocument" = vitrine_product_document(p.title, p.description, p.vendor, p."productType", p.tags,
      (SELECT string_agg(concat_ws(' ', v.title, v.sku), ' ' ORDER BY v.position) FROM "ProductVariant" AS v WHERE v."productId" = p.id))
    WHERE p.id = ANY(ids);
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER "ProductVariant_search_insert" AFTER INSERT ON "ProductVariant"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION vitrine_variant_search_refresh();
CREATE TRIGGER "ProductVariant_search_update" AFTER UPDATE ON "ProductVariant"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION vitrine_variant_search_refresh();
CREATE TRIGGER "ProductVariant_search_delete" AFTER DELETE ON "ProductVariant"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION vitrine_variant_search_refresh();

-- Keeps "SearchWord" counting, per word, the products whose title, vendor, type or tags
-- use it; words no product uses any more are removed.
CREATE FUNCTION vitrine_search_words_sync() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
DECLARE
  words text[];
  deltas integer[];
  emptied text[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(w), array_agg(n) INTO words, deltas FROM (
      SELECT w, count(*)::integer AS n
      FROM new_rows AS r, unnest(vitrine_search_words(r.title, r.vendor, r."productType", r.tags)) AS w
      GROUP BY w) AS d;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(w), array_agg(n) INTO words, deltas FROM (
      SELECT w, -count(*)::integer AS n
      FROM old_rows AS r, unnest(vitrine_search_words(r.title, r.vendor, r."productType", r.tags)) AS w
      GROUP BY w) AS d;
  ELSE
    SELECT array_agg(w), array_agg(n) INTO words, deltas FROM (
      SELECT x.w, sum(x.d)::integer AS n
      FROM new_rows AS nr JOIN old_rows AS o ON o.id = nr.id
      CROSS JOIN LATERAL (
        SELECT w, 1 AS d FROM unnest(vitrine_search_words(nr.title, nr.vendor, nr."productType", nr.tags)) AS w
        UNION ALL
        SELECT w, -1 AS d FROM unnest(vitrine_search_words(o.title, o.vendor, o."productType", o.tags)) AS w
      ) AS x
      WHERE (nr.title, nr.vendor, nr."productType", nr.tags) IS DISTINCT FROM (o.title, o.vendor, o."productType", o.tags)
      GROUP BY x.w
      HAVING sum(x.d) <> 0) AS d;
  END IF;
  IF words IS NULL THEN
    RETURN NULL;
  END IF;
  WITH upserted AS (
    INSERT INTO "SearchWord" AS s (word, products)
    SELECT * FROM unnest(words, deltas)
    ON CONFLICT (word) DO UPDATE SET products = s.products + EXCLUDED.products
    RETURNING s.word, s.products
  )
  SELECT array_agg(word) INTO emptied FROM upserted WHERE products <= 0;
  IF emptied IS NOT NULL THEN
    DELETE FROM "SearchWord" WHERE word = ANY(emptied) AND products <= 0;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER "Product_search_words_insert" AFTER INSERT ON "Product"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION vitrine_search_words_sync();
CREATE TRIGGER "Product_search_words_update" AFTER UPDATE ON "Product"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION vitrine_search_words_sync();
CREATE TRIGGER "Product_search_words_delete" AFTER DELETE ON "Product"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION vitrine_search_words_sync();
