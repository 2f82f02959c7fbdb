-- CreateEnum
CREATE TYPE "OrderStatus" AS ENUM ('PENDING_PAYMENT', 'OPEN', 'CANCELLED');

-- CreateEnum
CREATE TYPE "OrderFinancialStatus" AS ENUM ('PENDING', 'AUTHORIZED', 'PAID', 'REFUNDED', 'VOIDED');

-- CreateEnum
CREATE TYPE "OrderFulfillmentStatus" AS ENUM ('UNFULFILLED', 'PARTIALLY_FULFILLED', 'FULFILLED');

-- AlterTable
ALTER TABLE "Cart" ADD COLUMN     "deliveryAddress" JSONB,
ADD COLUMN     "shippingRateId" INTEGER;

-- AlterTable
ALTER TABLE "CartLine" ADD COLUMN     "seenUnitPrice" INTEGER;

-- AlterTable
ALTER TABLE "Customer" ADD COLUMN     "defaultAddressId" UUID;

-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "financialStatus" "OrderFinancialStatus" NOT NULL DEFAULT 'PENDING',
ADD COLUMN     "fulfillmentStatus" "OrderFulfillmentStatus" NOT NULL DEFAULT 'UNFULFILLED',
ADD COLUMN     "note" TEXT,
ADD COLUMN     "shippingAddress" JSONB NOT NULL,
ADD COLUMN     "shippingHandle" TEXT NOT NULL,
ADD COLUMN     "shippingPrice" INTEGER NOT NULL,
ADD COLUMN     "shippingTitle" TEXT NOT NULL,
ADD COLUMN     "status" "OrderStatus" NOT NULL DEFAULT 'PENDING_PAYMENT';

-- AlterTable
ALTER TABLE "OrderLine" ADD COLUMN     "imageUrl" TEXT;

-- CreateTable
CREATE TABLE "CustomerAddress" (
    "id" UUID NOT NULL,
    "customerId" UUID NOT NULL,
    "firstName" TEXT,
    "lastName" TEXT,
    "company" TEXT,
    "address1" TEXT NOT NULL,
    "address2" TEXT,
    "city" TEXT NOT NULL,
    "province" TEXT,
    "provinceCode" TEXT,
    "zip" TEXT,
    "countryCode" CHAR(2) NOT NULL,
    "phone" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CustomerAddress_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ShippingRate" (
    "id" SERIAL NOT NULL,
    "handle" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "countryCodes" TEXT[],
    "currencyCode" CHAR(3) NOT NULL DEFAULT 'USD',
    "price" INTEGER NOT NULL,
    "freeAbove" INTEGER,
    "minDeliveryDays" INTEGER NOT NULL,
    "maxDeliveryDays" INTEGER NOT NULL,
    "position" INTEGER NOT NULL DEFAULT 0,
    "active" BOOLEAN NOT NULL DEFAULT true,

    CONSTRAINT "ShippingRate_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "CustomerAddress_customerId_createdAt_idx" ON "CustomerAddress"("customerId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "ShippingRate_handle_key" ON "ShippingRate"("handle");

-- CreateIndex
CREATE UNIQUE INDEX "Customer_defaultAddressId_key" ON "Customer"("defaultAddressId");

-- CreateIndex
CREATE INDEX "Order_customerId_total_idx" ON "Order"("customerId", "total");

-- AddForeignKey
ALTER TABLE "Customer" ADD CONSTRAINT "Customer_defaultAddressId_fkey" FOREIGN KEY ("defaultAddressId") REFERENCES "CustomerAddress"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Cart" ADD CONSTRAINT "Cart_shippingRateId_fkey" FOREIGN KEY ("shippingRateId") REFERENCES "ShippingRate"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CustomerAddress" ADD CONSTRAINT "CustomerAddress_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE CASCADE ON UPDATE CASCADE;



-- Order numbers start at #1001, as shoppers expect.
ALTER SEQUENCE "Order_number_seq" START WITH 1001 RESTART WITH 1001;

-- Delivery options: Standard and Express per country group, with free shipping from a subtotal.
-- An empty country list serves every country that no other rate names.
INSERT INTO "ShippingRate" ("handle", "title", "countryCodes", "currencyCode", "price", "freeAbove", "minDeliveryDays", "maxDeliveryDays", "position") VALUES
  ('us-standard', 'Standard', ARRAY['US'], 'USD', 599, 7500, 3, 5, 1),
  ('us-express', 'Express', ARRAY['US'], 'USD', 1499, NULL, 1, 2, 2),
  ('ca-standard', 'Standard', ARRAY['CA'], 'USD', 999, 10000, 4, 8, 1),
  ('ca-express', 'Express', ARRAY['CA'], 'USD', 2499, NULL, 2, 3, 2),
  ('europe-standard', 'Standard', ARRAY['AT','BE','CH','CZ','DE','DK','ES','FI','FR','GB','GR','IE','IT','LU','NL','NO','PL','PT','SE'], 'USD', 1299, 15000, 5, 10, 1),
  ('europe-express', 'Express', ARRAY['AT','BE','CH','CZ','DE','DK','ES','FI','FR','GB','GR','IE','IT','LU','NL','NO','PL','PT','SE'], 'USD', 2999, NULL, 2, 4, 2),
  ('international-standard', 'Standard', ARRAY[]::TEXT[], 'USD', 1999, NULL, 7, 21, 1),
  ('international-express', 'Express', ARRAY[]::TEXT[], 'USD', 4499, NULL, 3, 6, 2);
