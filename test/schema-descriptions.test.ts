import {
  isEnumType,
  isScalarType,
  parseValue,
  valueFromAST,
  type GraphQLScalarType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isSpecifiedScalarType,
  isIntrospectionType,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../src/graphql/schema.js';

/** Every place of the public schema that should tell a reader what it is, and lacks a description. */
function undescribed(): string[] {
  const missing: string[] = [];
  const check = (where: string, description: string | null | undefined) => {
    if (!description || !description.trim()) missing.push(where);
  };
  for (const type of Object.values(schema.getTypeMap())) {
    if (isIntrospectionType(type) || isSpecifiedScalarType(type)) continue;
    check(type.name, type.description);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        check(`${type.name}.${field.name}`, field.description);
        for (const arg of field.args) check(`${type.name}.${field.name}(${arg.name})`, arg.description);
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) check(`${type.name}.${field.name}`, field.description);
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) check(`${type.name}.${value.name}`, value.description);
    }
  }
  return missing;
}

describe('schema descriptions', () => {
  it('describes every type, field, argument, input field and enum value', () => {
    expect(undescribed()).toEqual([]);
  });

  it('has no deprecated fields or enum values in a first version', () => {
    const deprecated: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (isIntrospectionType(type)) continue;
      if (isObjectType(type) || isInterfaceType(type)) {
        for (const field of Object.values(type.getFields())) if (field.deprecationReason) deprecated.push(`${type.name}.${field.name}`);
      } else if (isEnumType(type)) {
        for (const value of type.getValues()) if (value.deprecationReason) deprecated.push(`${type.name}.${value.name}`);
      }
    }
    expect(deprecated).toEqual([]);
  });
});

describe('schema tidy', () => {
  it('takes Decimal only as a string, never as a JSON number or a number literal', () => {
    const decimal = schema.getType('Decimal') as GraphQLScalarType;
    expect(isScalarType(decimal)).toBe(true);
    expect(decimal.parseValue(' 19.99 ')).toBe('19.99');
    expect(() => decimal.parseValue(19.99)).toThrow(/string/);
    expect(() => decimal.parseValue('1e3')).toThrow();
    const literal = (text: string) => valueFromAST(parseValue(text), decimal);
    expect(literal('"20.50"')).toBe('20.50');
    expect(literal('20.5')).toBeUndefined(); // invalid literal
    expect(literal('20')).toBeUndefined();
  });

  it('names weight units as Shopify does', () => {
    const unit = schema.getType('WeightUnit');
    expect(isEnumType(unit) && unit.getValues().map((v) => v.name)).toEqual(['KILOGRAMS', 'GRAMS', 'POUNDS', 'OUNCES']);
  });

  it('declares no scalar nothing uses', () => {
    const custom = Object.values(schema.getTypeMap())
      .filter((type) => isScalarType(type) && !isSpecifiedScalarType(type))
      .map((type) => type.name);
    expect(custom.sort()).toEqual(['DateTime', 'Decimal', 'HTML', 'JSON', 'URL']);
  });
});
