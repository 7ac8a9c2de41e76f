/**
 * CREATE AGGREGATE, built in SQL from pg_aggregate (pg_get_functiondef cannot print an
 * aggregate). Every option the catalog keeps is written: moving-aggregate mode, combine and
 * (de)serial functions, parallel safety, state sizes, final-function modifiers; a zero-argument
 * aggregate is written `(*)`, an ordered-set one with its ORDER BY arguments (its identity).
 * `p` is the pg_proc row of the aggregate, `n` its namespace.
 */
const fn = (col: string, word: string) =>
  `case when ag.${col} <> 0 then ', ${word} = ' || ag.${col}::pg_catalog.regproc::text else '' end`;
const modify = (col: string, word: string) =>
  `case ag.${col} when 'r' then ', ${word} = READ_ONLY' when 's' then ', ${word} = SHAREABLE' when 'w' then ', ${word} = READ_WRITE' else '' end`;

export const AGGREGATE_DEFINITION = `(
  select 'CREATE AGGREGATE ' || pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(p.proname)
    || '(' || case when p.pronargs = 0 then '*' else pg_catalog.pg_get_function_identity_arguments(p.oid) end || ') ('
    || 'SFUNC = ' || ag.aggtransfn::pg_catalog.regproc::text || ', STYPE = ' || pg_catalog.format_type(ag.aggtranstype, null)
    || case when ag.aggtransspace <> 0 then ', SSPACE = ' || ag.aggtransspace else '' end
    || ${fn('aggfinalfn', 'FINALFUNC')}
    || case when ag.aggfinalextra then ', FINALFUNC_EXTRA' else '' end
    || case when ag.aggfinalfn <> 0 then ${modify('aggfinalmodify', 'FINALFUNC_MODIFY')} else '' end
    || ${fn('aggcombinefn', 'COMBINEFUNC')} || ${fn('aggserialfn', 'SERIALFUNC')} || ${fn('aggdeserialfn', 'DESERIALFUNC')}
    || case when ag.agginitval is not null then ', INITCOND = ' || pg_catalog.quote_literal(ag.agginitval) else '' end
    || ${fn('aggmtransfn', 'MSFUNC')} || ${fn('aggminvtransfn', 'MINVFUNC')}
    || case when ag.aggmtransfn <> 0 then ', MSTYPE = ' || pg_catalog.format_type(ag.aggmtranstype, null) else '' end
    || case when ag.aggmtransspace <> 0 then ', MSSPACE = ' || ag.aggmtransspace else '' end
    || ${fn('aggmfinalfn', 'MFINALFUNC')}
    || case when ag.aggmfinalextra then ', MFINALFUNC_EXTRA' else '' end
    || case when ag.aggmfinalfn <> 0 then ${modify('aggmfinalmodify', 'MFINALFUNC_MODIFY')} else '' end
    || case when ag.aggminitval is not null then ', MINITCOND = ' || pg_catalog.quote_literal(ag.aggminitval) else '' end
    || coalesce((select ', SORTOP = OPERATOR(' || pg_catalog.quote_ident(sn.nspname) || '.' || so.oprname || ')'
      from pg_catalog.pg_operator so join pg_catalog.pg_namespace sn on sn.oid = so.oprnamespace where so.oid = ag.aggsortop), '')
    || case p.proparallel when 's' then ', PARALLEL = SAFE' when 'r' then ', PARALLEL = RESTRICTED' else '' end
    || case when ag.aggkind = 'h' then ', HYPOTHETICAL' else '' end
    || ')'
  from pg_catalog.pg_aggregate ag where ag.aggfnoid = p.oid)`;

/** The aggregate's support functions outside pg_catalog, keyed as the planner keys routines. */
export const AGGREGATE_USES = `array(
  select distinct sn.nspname || '.' || sf.proname || '(' || pg_catalog.pg_get_function_identity_arguments(sf.oid) || ')'
  from pg_catalog.pg_aggregate ag join pg_catalog.pg_proc sf on sf.oid in (ag.aggtransfn, ag.aggfinalfn, ag.aggcombinefn,
      ag.aggserialfn, ag.aggdeserialfn, ag.aggmtransfn, ag.aggminvtransfn, ag.aggmfinalfn)
    join pg_catalog.pg_namespace sn on sn.oid = sf.pronamespace
  where ag.aggfnoid = p.oid and sn.nspname <> 'pg_catalog' order by 1)`;
