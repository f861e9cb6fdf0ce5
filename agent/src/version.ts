/** Reported in `hello`; bumped with each agent release. */
export const AGENT_VERSION = '0.1.0';
