// AI (provider) output in Debian's headless Chromium: the fake provider's "fake-xss" model replies
// with HTML, a same-store markdown link, a foreign link and a javascript: link. Markup must render
// as text, only the store link may become a link, nothing may run.
// Exits non-zero on a failed check, a JS console error or a page error. Usage: node chat-ai-xss.mjs BASE_URL OUTDIR
import { session } from './browser.mjs';

const [ base, outdir ] = process.argv.slice( 2 );
const run = session( base );
const { problems, check } = run;
const browser = await run.launch();

try {
	const page = await run.watch( await browser.newPage( { viewport: { width: 1280, height: 900 } } ) );
	await page.goto( base + '/' );
	await page.click( '.aisle-launcher' );
	await page.waitForSelector( '#aisle-panel:not([hidden])' );
	const before = await page.evaluate( () => document.querySelectorAll( 'img, script, iframe' ).length );
	await page.fill( '#aisle-panel textarea', 'What do you recommend?' );
	await page.keyboard.press( 'Enter' );
	await page.waitForFunction( () => { const m = document.querySelectorAll( '.aisle-msg.aisle-assistant' ); const l = m[ m.length - 1 ]; return l && l.getAttribute( 'aria-busy' ) !== 'true' && l.textContent.includes( 'Click me' ); } );
	await page.waitForTimeout( 300 ); // Time for an injected onerror to fire.
	const reply = page.locator( '.aisle-msg.aisle-assistant' ).last();
	const text = await reply.textContent();
	check( text.includes( '<img src=x onerror=window.__xss=1>' ), 'img markup shown as text: ' + text );
	check( text.includes( '<script>window.__xss=3</script>' ), 'script markup shown as text: ' + text );
	check( ( await page.evaluate( () => typeof window.__xss ) ) === 'undefined', 'window.__xss stays undefined' );
	check( ( await page.evaluate( () => document.querySelectorAll( 'img, script, iframe' ).length ) ) === before, 'no element injected into the page' );
	check( ( await reply.locator( 'img, script, iframe, [onerror]' ).count() ) === 0, 'no injected element in the reply' );
	check( ( await reply.locator( 'strong' ).textContent() ) === 'now', 'bold from the markdown subset' );
	const links = await reply.locator( 'a' ).evaluateAll( ( as ) => as.map( ( a ) => ( { text: a.textContent, href: a.href } ) ) );
	check( links.length === 1, 'exactly one link (the store one): ' + JSON.stringify( links ) );
	const store = links.find( ( l ) => l.text === 'Store hoodies' );
	check( store && new URL( store.href ).origin === new URL( base ).origin, 'same-store link is a link: ' + JSON.stringify( links ) );
	check( ! links.some( ( l ) => /evil\.example|^javascript:/i.test( l.href ) ), 'no foreign or javascript: link' );
	check( text.includes( 'Cheap deals' ) && text.includes( 'Click me' ), 'foreign and javascript: links kept as plain text' );
	await page.screenshot( { path: outdir + '/widget-ai-xss.png' } );
} catch ( e ) {
	problems.push( 'exception: ' + e.message );
} finally {
	await run.finish();
}
