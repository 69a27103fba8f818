// The Knowledge tab in Chromium (issue 17). Phase "upload": two files chosen in the file picker,
// Upload, one progress line each ("queued for extraction"), and the jobs' progress bar: 0 of N, axe-core
// with the bar shown, then (the test running one job when this prints "job?" and answering on stdin)
// 1 of N, then (the test running the rest) gone, the page reloaded with the rows. Phase "answer" (after the test ran the
// extraction jobs): the rows show indexed with passages, the extracted-text preview opens, the Try a
// question box lists passages with scores, and the storefront widget answers with the source.
// Phase "provider" (an AI provider answering through search_knowledge): the widget lists the sources.
// Usage: node knowledge.mjs BASE_URL USER PASSWORD ARTIFACTS_DIR upload|answer FILE...
import { createInterface } from 'node:readline';
import { logIn, session } from './browser.mjs';
import { axeViolations } from './a11y.mjs';
import { ask, openWidget } from './widget.mjs';

const [ base, user, pass, dir, phase, ...files ] = process.argv.slice( 2 );
const run = session( base, 'knowledge' );
const { check } = run;
const browser = await run.launch();
const stdin = createInterface( { input: process.stdin } )[ Symbol.asyncIterator ]();
/** Asks the test to run Action Scheduler jobs and waits until it has. */
async function runJobs( what ) {
	console.log( 'job? ' + what );
	await stdin.next();
}

try {
	const page = await browser.newPage( { viewport: { width: 1280, height: 800 } } );
	await run.watch( page );
	await logIn( page, base, user, pass );
	await page.goto( base + '/wp-admin/admin.php?page=aisle&tab=knowledge' );
	if ( phase === 'upload' ) {
		await page.setInputFiles( '#aisle-knowledge-files', files );
		await page.click( '#aisle-knowledge-upload button[type=submit]' );
		await page.waitForFunction( ( n ) => [ ...document.querySelectorAll( '#aisle-knowledge-progress li' ) ].filter( ( li ) => li.textContent.includes( 'queued for extraction' ) ).length === n, files.length );
		const bar = page.getByRole( 'progressbar', { name: /Extracting and indexing/ } );
		await page.waitForSelector( '#aisle-knowledge-jobs:not([hidden])' );
		await bar.waitFor();
		const n = files.length;
		check( ( await bar.evaluate( ( el ) => el.tagName ) ) === 'PROGRESS', 'the bar is a <progress> element' );
		check( ( await bar.evaluate( ( el ) => [ el.value, el.max ] ) ).join() === [ 0, n ].join(), 'the bar starts at 0 of ' + n );
		check( ( await page.textContent( '#aisle-knowledge-bar-label' ) ).includes( `0 of ${ n }` ), 'its label says 0 of ' + n );
		const found = await axeViolations( page, '#aisle-admin' );
		check( found.length === 0, 'axe on the Knowledge tab with the bar: ' + found.join( '; ' ) );
		await page.screenshot( { path: dir + '/knowledge-upload.png' } );
		await runJobs( 'one' );
		await page.waitForFunction( () => document.getElementById( 'aisle-knowledge-bar' ).value === 1, null, { timeout: 15000 } );
		check( ( await page.textContent( '#aisle-knowledge-bar-label' ) ).includes( `1 of ${ n }` ), 'the bar advances to 1 of ' + n + ' after one job' );
		check( await bar.isVisible(), 'and stays while a document is pending' );
		await page.screenshot( { path: dir + '/knowledge-progress.png' } );
		const reloaded = page.waitForNavigation( { timeout: 15000 } );
		await runJobs( 'rest' );
		await reloaded;
		check( await page.locator( '#aisle-knowledge-jobs' ).isHidden(), 'the bar is gone once every document is done' );
		check( ( await page.locator( '#aisle-knowledge-sources tbody tr' ).count() ) >= files.length, 'the uploaded files are listed' );
	} else if ( phase === 'provider' ) {
		await page.goto( base + '/' );
		await openWidget( page );
		const reply = await ask( page, 'How much do parcels within Germany cost?' );
		const sources = ( await reply.locator( '.aisle-sources' ).count() ) ? await reply.locator( '.aisle-sources' ).textContent() : '(none) ' + ( await reply.innerHTML() );
		check( sources.includes( 'Shipping guide' ), 'the sources are listed under the message: ' + sources );
		check( ( await reply.textContent() ).includes( '5 euros' ), 'the reply quotes the document' );
		check( ! ( await reply.textContent() ).includes( 'free' ), 'the instruction in the document was not followed' );
		await page.screenshot( { path: dir + '/knowledge-provider-sources.png' } );
	} else {
		// The upload titled "returns" (its file name), not the store's "Refund and Returns Policy" page.
		const row = page.locator( '#aisle-knowledge-sources tbody tr' ).filter( { has: page.locator( 'td:first-child', { hasText: /^\s*returns\b/ } ) } ).first();
		check( ( await row.textContent() ).includes( 'indexed' ), 'the PDF is indexed: ' + ( await row.textContent() ) );
		await row.locator( 'summary' ).click();
		check( await row.locator( '.aisle-knowledge-preview' ).isVisible(), 'the extracted text opens' );
		check( ( await row.locator( '.aisle-knowledge-preview' ).textContent() ).includes( '## How to return' ), 'with its headings' );
		await page.fill( '#aisle-knowledge-q', 'how do I return an item' );
		await page.click( '#aisle-knowledge-try button' );
		await page.waitForSelector( '#aisle-knowledge-hits li' );
		const first = await page.locator( '#aisle-knowledge-hits li' ).first().textContent();
		check( first.includes( 'How to return' ) && /score \d/.test( first ), 'the try box shows the passage with its score: ' + first );
		await page.screenshot( { path: dir + '/knowledge-tab.png', fullPage: true } );

		const shop = await browser.newPage( { viewport: { width: 1280, height: 800 } } );
		await run.watch( shop );
		await shop.goto( base + '/' );
		await openWidget( shop );
		const reply = await ask( shop, 'When does it reach my card?' );
		const text = await reply.textContent();
		check( text.includes( 'Refunds reach your card within five working days.' ), 'the widget quotes the document: ' + text );
		check( text.includes( 'From our' ) && text.includes( 'returns' ), 'and names its source: ' + text );
		check( ! text.includes( '*' ), 'the source is shown bold, not as markdown: ' + text );
		await shop.screenshot( { path: dir + '/knowledge-widget.png' } );
	}
} catch ( e ) {
	run.problems.push( 'error: ' + e.message );
}
await run.finish();
