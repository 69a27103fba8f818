// axe-core's serious and critical violations inside one of our elements: WordPress's admin
// chrome and the test store's theme are not ours to judge.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const axeSource = readFileSync( createRequire( import.meta.url ).resolve( 'axe-core/axe.min.js' ), 'utf8' );

/** "id (impact): targets" for each serious or critical violation inside `selector`, as the page is now. */
export async function axeViolations( page, selector ) {
	await page.addScriptTag( { content: axeSource } );
	return page.evaluate( async ( sel ) => {
		const r = await window.axe.run( { include: [ sel ] }, { resultTypes: [ 'violations' ] } );
		return r.violations.filter( ( v ) => v.impact === 'serious' || v.impact === 'critical' ).map( ( v ) => v.id + ' (' + v.impact + '): ' + v.nodes.slice( 0, 3 ).map( ( n ) => n.target.join( ' ' ) ).join( ', ' ) );
	}, selector );
}
