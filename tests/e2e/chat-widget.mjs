// Storefront widget in Debian's headless Chromium against the test site (built-in answerer).
// Exits non-zero on a failed check, a JS console error or a page error. Screenshots go to OUTDIR.
// Usage: node chat-widget.mjs BASE_URL OUTDIR ORDER_NUMBER (an order with phone +49 151 2345 6789, processing)
import { session } from './browser.mjs';
import { ask } from './widget.mjs';

const [ base, outdir, order ] = process.argv.slice( 2 );
const run = session( base );
const { problems, check } = run;
const browser = await run.launch();

async function newPage( viewport ) {
	const page = await run.watch( await browser.newPage( { viewport } ) );
	await page.goto( base + '/' );
	return page;
}

try {
	const page = await newPage( { width: 1280, height: 900 } );
	await page.waitForSelector( '.aisle-launcher' );
	check( await page.isVisible( '.aisle-launcher' ), 'launcher visible' );
	check( ( await page.textContent( '.aisle-launcher' ) ) === 'Chat with us', 'the launcher in the store\'s language' );
	await page.screenshot( { path: outdir + '/widget-launcher.png' } );

	// Keyboard only: Tab to the launcher, Enter opens, focus moves inside, Escape closes. On a wide
	// screen the panel is a non-modal dialog: Tab goes on to the launcher and the page (the trap is
	// for the full-screen panel on phones, checked below).
	await page.focus( '.aisle-launcher' );
	await page.keyboard.press( 'Enter' );
	await page.waitForSelector( '#aisle-panel:not([hidden])' );
	check( await page.evaluate( () => document.getElementById( 'aisle-panel' ).contains( document.activeElement ) ), 'focus moves into the panel' );
	check( await page.evaluate( () => ! document.getElementById( 'aisle-panel' ).hasAttribute( 'aria-modal' ) ), 'not a modal dialog on desktop' );
	let left = false;
	for ( let i = 0; i < 8 && ! left; i++ ) {
		await page.keyboard.press( 'Tab' );
		left = await page.evaluate( () => ! document.getElementById( 'aisle-panel' ).contains( document.activeElement ) );
	}
	check( left, 'Tab leaves the non-modal panel on desktop' );
	await page.focus( '#aisle-panel textarea' );
	await page.keyboard.press( 'Escape' );
	check( await page.evaluate( () => document.getElementById( 'aisle-panel' ).hidden ), 'Escape closes' );
	check( await page.evaluate( () => document.activeElement.classList.contains( 'aisle-launcher' ) ), 'focus back on the launcher' );

	// Streamed reply with a product card; the XSS product name renders as text.
	await page.click( '.aisle-launcher' );
	const reply = await ask( page, 'Do you have hoodies under 50?' );
	await page.waitForSelector( '.aisle-card' );
	const names = await page.locator( '.aisle-card-name' ).allTextContents();
	check( names.includes( 'Aisle Blue Hoodie' ), 'product card for Aisle Blue Hoodie: ' + names.join( ', ' ) );
	check( names.some( ( n ) => n.includes( '<img src=x onerror=alert(1)>' ) ), 'XSS product name shown as text: ' + names.join( ', ' ) );
	check( ( await page.locator( '.aisle-card img[src="x"]' ).count() ) === 0, 'no injected img element' );
	check( ( await reply.textContent() ).length > 0, 'reply text' );

	// FAQ with markup renders as text.
	const faq = await ask( page, 'Do you offer gift wrapping?' );
	check( ( await faq.textContent() ).includes( '<script>' ), 'FAQ markup shown as text' );
	check( ( await faq.locator( 'script' ).count() ) === 0, 'no script element from FAQ' );

	// Order status, wrong then right phone.
	const wrong = await ask( page, `Where is order ${ order }? My phone is +49 170 9999 8888` );
	check( ! ( await wrong.textContent() ).includes( 'Processing' ), 'wrong phone shows nothing' );
	const right = await ask( page, `Where is order ${ order }? My phone is 0151 23456789` );
	check( ( await right.textContent() ).includes( 'Processing' ), 'right phone shows the status' );

	// Lead form with consent.
	await ask( page, 'Can I talk to a human?' );
	await page.waitForSelector( '.aisle-lead' );
	await page.fill( '.aisle-lead input[type=email]', 'e2e-lead@example.com' );
	await page.check( '.aisle-lead input[type=checkbox]' );
	await page.click( '.aisle-lead button[type=submit]' );
	await page.waitForSelector( '.aisle-lead-done' );
	await page.screenshot( { path: outdir + '/widget-desktop.png' } );

	// A French reply on this English page: the widget switches to French, the form under it too.
	check( ( await page.getAttribute( '#aisle-panel textarea', 'placeholder' ) ) === 'Ask a question…', 'the input starts in the store\'s language' );
	await ask( page, 'Je veux parler à un conseiller' );
	const french = page.locator( '.aisle-lead' ).last();
	await french.waitFor();
	check( ( await french.evaluate( ( f ) => f.closest( '[lang]' ).lang ) ) === 'fr', 'the French reply and its form say they are French' );
	check( ( await page.getAttribute( '#aisle-panel textarea', 'placeholder' ) ) === 'Posez une question…', 'the input asks in French' );
	check( ( await page.textContent( '.aisle-send' ) ) === 'Envoyer', 'the Send button is French' );
	check( ( await french.locator( '.aisle-consent' ).textContent() ).trim().startsWith( 'J\'accepte' ), 'the consent is French' );
	await french.locator( 'input[type=checkbox]' ).check();
	await french.locator( 'button[type=submit]' ).click();
	await page.waitForFunction( ( f ) => f.textContent !== '', await french.locator( '.aisle-lead-status' ).elementHandle(), { timeout: 3000 } );
	const missing = await french.locator( '.aisle-lead-status' ).textContent();
	check( missing === 'Saisissez un e-mail ou un numéro de téléphone.', 'the French form asks in French: ' + missing );
	await french.locator( 'input[type=email]' ).fill( 'e2e-client@example.fr' );
	await french.locator( 'button[type=submit]' ).click();
	const thanks = page.locator( '.aisle-lead-done' ).last();
	await page.waitForFunction( () => document.querySelectorAll( '.aisle-lead-done' ).length === 2 );
	check( ( await thanks.textContent() ) === 'Merci ! La boutique vous contactera bientôt.', 'thanked in French' );
	// And back: an English reply brings the English words again.
	await ask( page, 'Do you have hoodies?' );
	check( ( await page.getAttribute( '#aisle-panel textarea', 'placeholder' ) ) === 'Ask a question…', 'the input follows back to English' );
	check( ( await page.textContent( '.aisle-send' ) ) === 'Send', 'the Send button follows back to English' );
	// The next page of the tab starts in the language the shopper was last answered in.
	await ask( page, 'Bonjour !' );
	await page.goto( base + '/' );
	await page.waitForSelector( '.aisle-launcher' );
	check( ( await page.getAttribute( '#aisle-panel textarea', 'placeholder' ) ) === 'Posez une question…', 'the next page starts in French' );
	check( ( await page.getAttribute( '#aisle-panel form.aisle-form', 'lang' ) ) === 'fr', 'its input says it is French' );
	check( ( await page.textContent( '.aisle-launcher' ) ) === 'Discutez avec nous', 'its launcher too' );

	// Mobile: the open panel fills the screen.
	const mobile = await newPage( { width: 375, height: 700 } );
	await mobile.click( '.aisle-launcher' );
	await mobile.waitForSelector( '#aisle-panel:not([hidden])' );
	const box = await mobile.locator( '#aisle-panel' ).boundingBox();
	check( box && box.width >= 370 && box.height >= 600, 'full screen on mobile: ' + JSON.stringify( box ) );
	// Covering the screen, it is modal: aria-modal, and Tab stays inside.
	check( ( await mobile.getAttribute( '#aisle-panel', 'aria-modal' ) ) === 'true', 'modal dialog when it covers the screen' );
	for ( let i = 0; i < 8; i++ ) {
		await mobile.keyboard.press( 'Tab' );
		check( await mobile.evaluate( () => document.getElementById( 'aisle-panel' ).contains( document.activeElement ) ), 'focus trapped on mobile after Tab ' + i );
	}
	await ask( mobile, 'Do you ship to Germany?' );
	await mobile.screenshot( { path: outdir + '/widget-mobile.png' } );
} catch ( e ) {
	problems.push( 'exception: ' + e.message );
} finally {
	await run.finish();
}
