-- The layout of a page read from a PDF (blocks in reading order with their lines, cells and boxes; the JSON
-- shape is documented on ai.kaaj.documents.PageLayout). Null for plain-text documents and pages read before.
alter table document_pages add column layout jsonb;
