throw new Error('@prisma/streams-local is not installed: Vitrine does not use `prisma dev` (see vendor/prisma-streams-local-unused/package.json)');
