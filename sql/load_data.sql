-- Load the bundled trade dataset, sql/data/country_trade.csv, into the table
-- country_trade (replacing what was there), with csv_import(). Run from the
-- repository root, after `.load build/exportlens`:
--
--   sqlite> .read sql/load_data.sql
--
-- The table is declared here so that its types do not depend on inference;
-- csv_import() appends to it (mode=append), matching the header's names.
-- `object` is NULL where the indicator has no object (exports_pct_gdp).
-- Prints the number of rows imported.
DROP TABLE IF EXISTS country_trade;
CREATE TABLE country_trade(
  iso3 TEXT NOT NULL,       -- economy (ISO 3166-1 alpha-3; EUU for the European Union)
  country TEXT,             -- its common name
  year INTEGER NOT NULL,
  indicator TEXT NOT NULL,  -- a claims() metric name: exports_pct_gdp, share_of_exports ...
  object TEXT,              -- partner ISO3, product ('integrated circuits'), or NULL
  value REAL,
  unit TEXT,                -- '%' or 'USD'
  source TEXT NOT NULL,     -- who published the figure, or how it was derived
  basis TEXT NOT NULL CHECK (basis IN ('measured', 'derived', 'reported'))
);
SELECT csv_import('sql/data/country_trade.csv', 'country_trade', 'mode=append') AS country_trade_rows;
CREATE INDEX country_trade_key ON country_trade(iso3, indicator, object, year);
