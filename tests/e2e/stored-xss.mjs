// Stored XSS in Debian's headless Chromium: payloads already in the database (product name, FAQ,
// a shopper's, the assistant's and a staff message, lead name and message) rendered on every admin
// tab, the transcript, and in the widget's product card and FAQ answer. No script may run: the
// window.__xss sentinel stays unset (a control first shows an unescaped payload does set it), no
// dialog opens, no page error, no failed request. No CSP is added (WordPress's admin needs inline
// scripts), so the sentinel is the check.
// Usage: node stored-xss.mjs BASE_URL USER PASS CONVERSATION_ID
import { logIn, session } from './browser.mjs';

const [ base, user, pass, conversation ] = process.argv.slice( 2 );
const run = session( base );
const { check } = run;
const browser = await run.launch();
let pages = 0;

async function clean( page, what ) {
	await page.waitForTimeout( 300 ); // Time for an injected onerror/onload to fire.
	check( ( await page.evaluate( () => typeof window.__xss ) ) === 'undefined', 'window.__xss stays unset on ' + what );
	pages++;
}

try {
	const page = await run.watch( await browser.newPage( { viewport: { width: 1280, height: 800 } } ) );
	await page.goto( base + '/wp-login.php' );
	// Control: the same payload put into the DOM unescaped does set the sentinel, so "unset" means escaped.
	await page.evaluate( () => { const d = document.createElement( 'div' ); d.innerHTML = '<img src="data:image/png;base64,AA" onerror=window.__xss=1>'; document.body.append( d ); } );
	await page.waitForTimeout( 300 );
	check( ( await page.evaluate( () => window.__xss ) ) === 1, 'control: an unescaped payload sets window.__xss' );
	await logIn( page, base, user, pass );
	await page.goto( base + '/wp-admin/admin.php?page=aisle' );
	const tabs = await page.$$eval( '#aisle-tabs a.nav-tab', ( as ) => as.map( ( a ) => a.href ) );
	check( tabs.length >= 4, 'the admin tabs are listed: ' + tabs.length );
	for ( const href of tabs ) {
		await page.goto( href, { waitUntil: 'domcontentloaded' } );
		await clean( page, href );
	}
	await page.goto( base + '/wp-admin/admin.php?page=aisle&tab=chats&conversation=' + conversation );
	check( ( await page.content() ).includes( 'window.__xss=1' ), 'the transcript shows the payload (as text)' );
	await clean( page, 'the transcript' );
	await page.goto( base + '/wp-admin/admin.php?page=aisle&tab=leads' );
	check( ( await page.content() ).includes( 'window.__xss=1' ), 'the leads list shows the payload (as text)' );
	await clean( page, 'the leads list' );

	// The widget: a product card whose name is the payload, and the FAQ answer.
	const shop = await run.watch( await ( await browser.newContext() ).newPage( { viewport: { width: 1280, height: 800 } } ) );
	await shop.goto( base + '/' );
	await shop.click( '.aisle-launcher' );
	await shop.waitForSelector( '#aisle-panel:not([hidden])' );
	for ( const q of [ 'Do you have the XSS hoodie?', 'What is your xss policy?' ] ) {
		const n = await shop.locator( '.aisle-msg.aisle-assistant' ).count();
		await shop.fill( '#aisle-panel textarea', q );
		await shop.keyboard.press( 'Enter' );
		await shop.waitForFunction( ( k ) => { const m = document.querySelectorAll( '.aisle-msg.aisle-assistant' ); const l = m[ m.length - 1 ]; return m.length > k && l.getAttribute( 'aria-busy' ) !== 'true'; }, n );
		await clean( shop, 'the widget after "' + q + '"' );
	}
	const text = await shop.locator( '#aisle-panel' ).textContent();
	check( text.includes( 'Aisle XSS Hoodie' ) && text.includes( 'Our xss policy' ), 'the widget shows the payload product and FAQ answer: ' + text.slice( -300 ) );
	check( ( await shop.locator( '#aisle-panel img[onerror], #aisle-panel script, #aisle-panel svg[onload], #aisle-panel iframe' ).count() ) === 0, 'no injected element in the widget' );
} catch ( e ) {
	run.problems.push( 'script error: ' + e.message );
}
await run.finish( `ok: ${ pages } pages, window.__xss unset` );
