// The storefront widget in Debian's headless Chromium, in two languages (built-in answerer):
// an Arabic conversation that renders right to left (shipping, then order status with an
// Arabic-Indic order number and phone) and a French one left to right (greeting, shipping,
// price of a variable product with its range). Exits non-zero on a failed check, a JS console
// error or a page error. Screenshots go to OUTDIR.
// Usage: node chat-languages.mjs BASE_URL OUTDIR ORDER_NUMBER (an order with phone +966 50 123 4567, processing, 2 x Beanie)
import { session } from './browser.mjs';
import { ask } from './widget.mjs';

const [ base, outdir, order ] = process.argv.slice( 2 );
const run = session( base );
const { problems, check } = run;
const arabicDigits = ( s ) => s.replace( /[0-9]/g, ( d ) => '٠١٢٣٤٥٦٧٨٩'[ d ] );
const browser = await run.launch();

async function newPage( viewport ) {
	const page = await browser.newPage( { viewport } ); // A new context: its own sessionStorage, so its own chat session.
	await run.watch( page );
	await page.goto( base + '/' );
	await page.waitForSelector( '.aisle-launcher' );
	await page.click( '.aisle-launcher' );
	await page.waitForSelector( '#aisle-panel:not([hidden])' );
	return page;
}

// How the browser lays the bubble out: its resolved direction, and whether its first line of text starts at the right edge.
const layout = ( loc ) => loc.evaluate( ( el ) => {
	const range = document.createRange();
	range.selectNodeContents( el );
	const first = range.getClientRects()[ 0 ];
	const box = el.getBoundingClientRect();
	const pad = parseFloat( getComputedStyle( el ).paddingRight ) + parseFloat( getComputedStyle( el ).paddingLeft );
	return { dir: el.getAttribute( 'dir' ), direction: getComputedStyle( el ).direction, matchesRtl: el.matches( ':dir(rtl)' ), rightGap: box.right - ( first ? first.right : box.right ), leftGap: ( first ? first.left : box.left ) - box.left, pad };
} );

try {
	// Arabic: every message right to left, order status with Arabic-Indic digits.
	const ar = await newPage( { width: 1280, height: 900 } );
	const ship = await ask( ar, 'هل تشحنون إلى السعودية؟' );
	const shipText = await ship.textContent();
	check( shipText.includes( 'نعم، نشحن إلى' ) && shipText.includes( 'Aramex' ), 'Arabic shipping answer: ' + shipText );
	const l1 = await layout( ship );
	check( l1.dir === 'auto' && l1.matchesRtl, 'Arabic reply resolves right to left: ' + JSON.stringify( l1 ) );
	check( l1.rightGap <= l1.pad, 'Arabic reply text starts at the right edge: ' + JSON.stringify( l1 ) );
	const user = await layout( ar.locator( '.aisle-msg.aisle-user' ).last() );
	check( user.matchesRtl, 'Arabic question right to left: ' + JSON.stringify( user ) );
	const status = await ask( ar, `أين طلبي رقم ${ arabicDigits( order ) }؟ هاتفي ${ arabicDigits( '0501234567' ) }` );
	const statusText = await status.textContent();
	check( statusText.includes( 'قيد التنفيذ' ), 'order status in Arabic: ' + statusText );
	check( statusText.includes( 'Beanie' ), 'the order lines: ' + statusText );
	check( ( await layout( status ) ).matchesRtl, 'order status right to left' );
	const wrong = await ask( ar, `أين طلبي رقم ${ arabicDigits( order ) }؟ هاتفي ${ arabicDigits( '0509999999' ) }` );
	check( ! ( await wrong.textContent() ).includes( 'قيد التنفيذ' ), 'a wrong phone shows nothing' );
	check( ( await ar.getAttribute( '#aisle-panel textarea', 'placeholder' ) ) === 'اطرح سؤالًا…', 'the input asks in Arabic' );
	check( ( await ar.getAttribute( '#aisle-root', 'dir' ) ) === 'rtl', 'the widget turns right to left for Arabic on this left-to-right store' );
	await ar.screenshot( { path: outdir + '/chat-arabic.png' } );

	// French: left to right, the reply in French, a variable product's range on its card.
	const fr = await newPage( { width: 390, height: 844 } );
	const hello = await ask( fr, 'Bonjour !' );
	check( ( await hello.textContent() ).startsWith( 'Bonjour ! Je peux vous aider' ), 'French greeting: ' + await hello.textContent() );
	const l2 = await layout( hello );
	check( ! l2.matchesRtl && l2.leftGap <= l2.pad, 'French reply left to right: ' + JSON.stringify( l2 ) );
	const de = await ask( fr, 'Livrez-vous en Allemagne ?' );
	check( ( await de.textContent() ).includes( 'Oui, nous livrons vers Allemagne' ), 'French shipping answer: ' + await de.textContent() );
	const ca = await ask( fr, 'Livrez-vous au Canada ?' );
	check( ( await ca.textContent() ).includes( 'Désolé, nous ne livrons pas' ), 'a plain no for Canada: ' + await ca.textContent() );
	const price = await ask( fr, 'Combien coûte le Hoodie ?' );
	check( ( await price.textContent() ).includes( 'Le produit Hoodie coûte $42.00 – $45.00.' ), 'French price answer: ' + await price.textContent() );
	const card = price.locator( '.aisle-card' ).first();
	check( ( await card.locator( '.aisle-card-price' ).textContent() ) === '$42.00 – $45.00', 'price range on the card' );
	check( ( await card.locator( '.aisle-card-cart' ).textContent() ) === 'Choisir les options', 'the widget\'s own words follow the shopper\'s language (the page has them in English)' );
	check( ( await fr.getAttribute( '#aisle-panel textarea', 'placeholder' ) ) === 'Posez une question…', 'the input asks in French' );
	check( ( await fr.getAttribute( '#aisle-root', 'dir' ) ) === 'ltr', 'French stays left to right' );
	await fr.screenshot( { path: outdir + '/chat-french.png' } );
} catch ( e ) {
	problems.push( 'error: ' + ( e.stack || e.message ) );
} finally {
	await run.finish();
}
