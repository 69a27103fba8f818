// The storefront widget under axe-core (issue 15): closed, open, with product cards and with the
// lead form (name and message fields turned on by the test): zero serious or critical
// violations; the optional lead fields are labelled and reach the store.
// Usage: node widget-a11y.mjs BASE_URL PATH ARTIFACTS_DIR
import { session } from './browser.mjs';
import { axeViolations } from './a11y.mjs';
import { ask, openWidget } from './widget.mjs';

const [ base, path, dir ] = process.argv.slice( 2 );
const run = session( base );
const { check } = run;
const browser = await run.launch();

async function axe( page, what ) {
	// Colours are judged once the panel's opening animation has ended.
	await page.evaluate( () => Promise.all( document.getAnimations().map( ( a ) => a.finished ) ) );
	const found = await axeViolations( page, '#aisle-root' );
	check( found.length === 0, 'axe on the widget ' + what + ': ' + found.join( '; ' ) );
	return found.length;
}

try {
	const page = await browser.newPage( { viewport: { width: 1280, height: 800 } } );
	await run.watch( page );
	await page.goto( base + path );
	await page.waitForSelector( '.aisle-launcher' );
	await page.waitForFunction( () => document.getElementById( 'aisle-root' ).style.visibility === '' );
	let n = await axe( page, 'closed' );
	await openWidget( page );
	n += await axe( page, 'open' );
	await ask( page, 'Do you have hoodies?' );
	await page.waitForSelector( '.aisle-cards .aisle-card' );
	n += await axe( page, 'with product cards' );

	await ask( page, 'Can I talk to a human?' );
	await page.waitForSelector( '.aisle-lead' );
	const fields = await page.locator( '.aisle-lead input:not([type=checkbox]), .aisle-lead textarea' ).evaluateAll( ( is ) => is.map( ( i ) => i.name + ':' + ( i.labels && i.labels.length ? i.labels[ 0 ].textContent.trim() : '' ) ) );
	check( JSON.stringify( fields ) === '["name:Name (optional)","email:Email","phone:Phone","message:Message (optional)"]', 'labelled name and message fields: ' + JSON.stringify( fields ) );
	n += await axe( page, 'with the lead form' );
	await page.fill( '.aisle-lead input[name=name]', 'Wanda Widget' );
	await page.fill( '.aisle-lead input[name=email]', 'wanda@example.com' );
	await page.fill( '.aisle-lead textarea[name=message]', 'Please call about a custom order.' );
	await page.check( '.aisle-lead input[type=checkbox]' );
	await page.locator( '.aisle-lead' ).scrollIntoViewIfNeeded();
	await page.screenshot( { path: dir + '/widget-lead-fields.png' } );
	await page.click( '.aisle-lead button[type=submit]' );
	await page.waitForSelector( '.aisle-lead-done' );
	console.log( 'axe: ' + n + ' serious or critical violations in the widget' );
} catch ( e ) {
	run.problems.push( 'exception: ' + e.message );
} finally {
	await run.finish( 'widget a11y ok' );
}
