// Entry point of the desktop shell (bundled to dist/main.cjs). All wiring lives in app.ts.
import { bootstrap } from './app';

bootstrap();
