// Device report history at fleet scale (issue 3). A register reports every 30 s; keeping every
// ~2 KB report would write ~115 GB a day at 20,000 registers, and a bare INSERT of such rows peaks
// at ~20k rows/s on our reference machine. device_reports now keeps a report when the device's
// state (health, codes) changed, and otherwise one snapshot per device per hour; the devices row
// still holds the latest report's state and time. history_at says when the last kept row was written.
// No time index for retention: rows are appended in time order, so the sweep walks rowids.
export const sql = `
ALTER TABLE devices ADD COLUMN history_at TEXT;
`;
