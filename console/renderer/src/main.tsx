import { render } from 'preact';
import { z } from 'zod';
import { App } from './app';

// zod compiles fast paths with the Function constructor (eval), which the CSP forbids.
z.config({ jitless: true });

const root = document.getElementById('app');
if (root) render(<App />, root);
