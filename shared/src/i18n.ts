import { z } from 'zod';

export const Locale = z.enum(['ru', 'en']);
export type Locale = z.infer<typeof Locale>;

/** Text shown to people: Russian first (the users are Russian retail staff), English beside it. */
export const LocalizedText = z.object({ ru: z.string(), en: z.string() });
export type LocalizedText = z.infer<typeof LocalizedText>;
