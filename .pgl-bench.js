const { PGlite } = require('@electric-sql/pglite');
const { vector } = require('@electric-sql/pglite-pgvector');
const names = ['btree_gin','btree_gist','citext','cube','earthdistance','fuzzystrmatch','hstore','intarray','isn','ltree','moddatetime','pg_trgm','pgcrypto','seg','tablefunc','tcn','unaccent','uuid_ossp'];
const ext = { vector }; for (const n of names) ext[n] = require(`@electric-sql/pglite/contrib/${n}`)[n];
(async () => {
  let t = Date.now();
  const bare = await PGlite.create(); console.log('bare create', Date.now() - t); t = Date.now();
  const bc = await bare.clone(); console.log('bare clone', Date.now() - t); t = Date.now();
  const full = await PGlite.create({ extensions: ext }); console.log('full create', Date.now() - t); t = Date.now();
  const fc = await full.clone(); console.log('full clone', Date.now() - t); t = Date.now();
  const dump = await full.dumpDataDir('none'); console.log('dump', Date.now() - t, dump.size); t = Date.now();
  const fc2 = await PGlite.create({ loadDataDir: dump, extensions: ext }); console.log('load from dump', Date.now() - t); t = Date.now();
  process.exit(0);
})();
