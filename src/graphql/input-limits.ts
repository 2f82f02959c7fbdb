// Bounds on what a client may pass in: no string in the document or in the variables
// longer than the configured maximum, and no NUL character (PostgreSQL text cannot hold
// one). A refusal is BAD_USER_INPUT with HTTP 400, before anything executes, so an
// oversized `handle` never reaches the database.
import { GraphQLError, type ASTVisitor, type ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';

function problem(value: string, maxLength: number): string | null {
  if (value.length > maxLength) return `longer than ${maxLength} characters`;
  if (value.includes('\u0000')) return 'contains a NUL character';
  return null;
}

function inputError(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
}

/** A validation rule refusing string literals that are too long or hold NUL. */
export function stringLiteralRule(maxLength: number) {
  return (context: ValidationContext): ASTVisitor => ({
    StringValue(node) {
      const found = problem(node.value, maxLength);
      if (found)
        context.reportError(new GraphQLError(`A string argument is ${found}.`, { nodes: node, extensions: { code: 'BAD_USER_INPUT' } }));
    },
  });
}

/** The path of the first string (or object key) in `value` that breaks the bounds. */
export function findBadString(value: unknown, maxLength: number, path = '$'): { path: string; problem: string } | null {
  if (typeof value === 'string') {
    const found = problem(value, maxLength);
    return found ? { path, problem: found } : null;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findBadString(value[i], maxLength, `${path}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const keyProblem = problem(key, maxLength);
      if (keyProblem) return { path, problem: `has a key that is ${keyProblem}` };
      const found = findBadString(item, maxLength, `${path}.${key}`);
      if (found) return found;
    }
  }
  return null;
}

export function useInputLimits(limits: { maxStringLength: number }): Plugin {
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(stringLiteralRule(limits.maxStringLength));
    },
    onParams({ params, setResult }) {
      const found = findBadString(params.variables ?? {}, limits.maxStringLength, 'variables');
      if (found) setResult({ errors: [inputError(`The value at ${found.path.slice(0, 200)} is ${found.problem}.`)] });
    },
  };
}
