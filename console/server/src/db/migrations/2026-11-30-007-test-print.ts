// Test print (issue 9): the ticket an engineer asked from (its timeline gets the result), and each
// ticket's last test print as its `printer.test_print` checklist step. The step is kept apart from
// checklist_json, which every report of the finding replaces; the detail view puts it in.
export const sql = `
ALTER TABLE commands ADD COLUMN ticket_id INTEGER;
ALTER TABLE tickets ADD COLUMN test_print_json TEXT;
`;
