// jsdom ships no type declarations and @types/jsdom is not installed; the agent's build has no DOM
// lib either. The little of it the cashier page's loop test uses (page-loop.test.ts), typed here.
declare module 'jsdom' {
  interface PageElement {
    readonly id: string;
    hidden: boolean;
    readonly textContent: string | null;
    click(): void;
    focus(): void;
    getAttribute(name: string): string | null;
  }
  interface PageDocument {
    readonly activeElement: PageElement | null;
    getElementById(id: string): PageElement | null;
    querySelector(selector: string): PageElement | null;
    dispatchEvent(event: object): boolean;
  }
  interface PageWindow {
    readonly document: PageDocument;
    readonly Event: new (type: string) => object;
    eval(code: string): unknown;
    close(): void;
  }
  export class JSDOM {
    constructor(html: string, options?: { url?: string; runScripts?: 'outside-only' | 'dangerously'; pretendToBeVisual?: boolean });
    readonly window: PageWindow;
  }
}
