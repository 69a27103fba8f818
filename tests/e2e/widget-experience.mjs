// The shopper's experience of the widget on the theme the site has active, in Debian's headless
// Chromium (issue 15): the theme's CSS does not reach the widget (the message box has one height
// and font size on the shop, a product and the cart), 16 px text fields on a phone (no iOS zoom on
// focus), a launcher on the left that stays where it is when the panel opens, readable text on the
// accent (WCAG contrast >= 4.5), a character counter near the 2,000-character limit and a message
// at it, dir="auto" on messages, a non-modal dialog on desktop (modal when it covers a phone's
// screen), Escape closes from anywhere, labelled lead fields and one lead intro.
// Prints "metrics: {json}" (the message box per page) and "ok", or the problems and exits 1.
// Usage: node widget-experience.mjs BASE_URL OUTDIR LABEL PAGES_JSON ACCENT
// PAGES_JSON: {"shop": path, "product": path, "cart": path}; the site has position "left" and ACCENT set.
import { session } from './browser.mjs';
import { ask } from './widget.mjs';

const [ base, outdir, label, pagesJson, accent ] = process.argv.slice( 2 );
const pages = JSON.parse( pagesJson );
const e2e = session( base, label );
const { problems, check } = e2e;
const browser = await e2e.launch();
const metrics = {};

// WCAG 2 contrast of two computed colours ("rgb(r, g, b)").
function contrast( a, b ) {
	const lum = ( c ) => {
		const [ r, g, bl ] = c.match( /[\d.]+/g ).slice( 0, 3 ).map( Number ).map( ( v ) => ( v /= 255 ) <= 0.04045 ? v / 12.92 : ( ( v + 0.055 ) / 1.055 ) ** 2.4 );
		return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
	};
	const [ x, y ] = [ lum( a ), lum( b ) ].sort( ( p, q ) => q - p );
	return ( x + 0.05 ) / ( y + 0.05 );
}

async function ready( page, path ) {
	await page.goto( base + path );
	await page.waitForSelector( '.aisle-launcher', { state: 'attached' } );
	await page.waitForFunction( () => { const r = document.getElementById( 'aisle-root' ); return r && getComputedStyle( r ).position === 'fixed' && r.style.visibility === ''; } );
}

const box = ( page ) => page.evaluate( () => {
	const t = document.querySelector( '#aisle-panel textarea' );
	const s = getComputedStyle( t );
	// The send button and the launcher too: themes style every button (and img) on the page.
	const b = getComputedStyle( document.querySelector( '#aisle-panel form button[type=submit], #aisle-panel form button' ) );
	const l = document.querySelector( '.aisle-launcher' ).getBoundingClientRect();
	return { height: s.height, fontSize: s.fontSize, fontFamily: s.fontFamily, padding: s.padding, textTransform: s.textTransform, border: s.border,
		button: [ b.height, b.fontSize, b.fontFamily, b.padding, b.textTransform, b.letterSpacing, b.borderRadius ].join( ' | ' ), launcher: [ l.width, l.height ].join( 'x' ) };
} );

try {
	// Desktop.
	const desk = await browser.newContext( { viewport: { width: 1280, height: 900 } } );
	const page = await e2e.watch( await desk.newPage() );
	for ( const [ name, path ] of Object.entries( pages ) ) {
		await ready( page, path );
		const launcher = page.locator( '.aisle-launcher' );
		const closed = await launcher.boundingBox();
		check( closed && closed.x < 100, `${ name }: position "left" puts the launcher on the left: ${ JSON.stringify( closed ) }` );
		await launcher.click();
		await page.waitForSelector( '#aisle-panel:not([hidden])' );
		await page.waitForTimeout( 250 ); // The opening animation.
		const opened = await launcher.boundingBox();
		check( closed && opened && [ 'x', 'y', 'width', 'height' ].every( ( k ) => Math.abs( closed[ k ] - opened[ k ] ) < 1 ), `${ name }: the launcher does not move when the panel opens: closed ${ JSON.stringify( closed ) }, open ${ JSON.stringify( opened ) }` );
		metrics[ name ] = await box( page );
		check( ! ( await page.evaluate( () => document.getElementById( 'aisle-panel' ).hasAttribute( 'aria-modal' ) ) ), `${ name }: the panel is not modal on desktop` );
		await page.screenshot( { path: `${ outdir }/widget-experience-${ label }-${ name }-1280.png` } );
		// Escape from the page (focus outside the panel, which a non-modal dialog allows) closes it.
		await page.evaluate( () => { const a = [ ...document.querySelectorAll( 'a[href]' ) ].find( ( x ) => ! x.closest( '#aisle-root' ) ); a.focus(); } );
		check( await page.evaluate( () => ! document.getElementById( 'aisle-root' ).contains( document.activeElement ) && document.activeElement !== document.body ), `${ name }: a page link takes the focus while the panel is open` );
		await page.keyboard.press( 'Escape' );
		check( await page.evaluate( () => document.getElementById( 'aisle-panel' ).hidden ), `${ name }: Escape with the focus on the page closes the panel` );
	}
	const first = Object.values( metrics )[ 0 ];
	for ( const [ name, m ] of Object.entries( metrics ) ) {
		check( m.height === first.height && m.fontSize === first.fontSize && m.fontFamily === first.fontFamily && m.padding === first.padding, `the message box is the same on ${ name } as on ${ Object.keys( metrics )[ 0 ] }: ${ JSON.stringify( metrics ) }` );
	}
	check( first && first.height === '40px' && first.fontSize === '15px', 'the message box is the widget\'s own 40 px, 15 px: ' + JSON.stringify( first ) );

	// Text on the accent: launcher, header, Send, the shopper's bubble, a product card's button.
	await page.locator( '.aisle-launcher' ).click();
	await ask( page, 'Do you have hoodies under 50?' );
	await page.waitForSelector( '.aisle-card-cart' );
	const colours = await page.evaluate( () => [ '.aisle-launcher', '.aisle-header', '.aisle-send', '.aisle-msg.aisle-user', '.aisle-card-cart' ].map( ( sel ) => {
		const s = getComputedStyle( document.querySelector( '#aisle-root ' + sel ) );
		return { sel, color: s.color, background: s.backgroundColor };
	} ) );
	const want = accent.replace( '#', '' ).match( /../g ).map( ( h ) => parseInt( h, 16 ) ).join( ', ' );
	for ( const c of colours ) {
		check( c.background === `rgb(${ want })`, `${ c.sel } has the accent ${ accent } as background (${ c.background })` );
		const ratio = contrast( c.color, c.background );
		check( ratio >= 4.5, `${ c.sel }: text ${ c.color } on ${ c.background } has contrast ${ ratio.toFixed( 2 ) } (>= 4.5)` );
	}
	check( ( await page.locator( '.aisle-msg' ).evaluateAll( ( ms ) => ms.every( ( m ) => m.getAttribute( 'dir' ) === 'auto' ) ) ), 'every message has dir="auto"' );
	await page.screenshot( { path: `${ outdir }/widget-experience-${ label }-accent-${ accent.slice( 1 ) }.png` } );

	// The character counter: hidden well below the limit, shown near it, a message at it.
	const ta = page.locator( '#aisle-panel textarea' );
	const count = page.locator( '#aisle-count' );
	await ta.fill( 'a'.repeat( 1000 ) );
	check( await count.isHidden(), 'no counter at 1,000 characters' );
	await ta.fill( 'a'.repeat( 1850 ) );
	check( await count.isVisible() && ( await count.textContent() ).includes( '1850' ) && ( await count.textContent() ).includes( '2000' ), 'a counter near the limit: ' + await count.textContent() );
	await ta.fill( 'a'.repeat( 1998 ) );
	await ta.press( 'End' );
	await page.keyboard.type( 'bcdef' );
	check( ( await ta.evaluate( ( t ) => t.value.length ) ) === 2000, 'the box takes 2,000 characters, no more' );
	const at = await count.textContent();
	check( await count.isVisible() && at.includes( '2,000' ) && /limit/i.test( at ), 'a clear message at the limit: ' + at );
	check( ( await ta.getAttribute( 'aria-describedby' ) ) === 'aisle-count', 'the message box is described by the counter' );
	await page.screenshot( { path: `${ outdir }/widget-experience-${ label }-limit.png` } );
	await ta.fill( '' );
	check( await count.isHidden(), 'the counter goes away when the box is emptied' );

	// The lead offer: one intro, and every field has a label.
	const offer = await ask( page, 'Can I talk to a human?' );
	await page.waitForSelector( '.aisle-lead' );
	const intros = ( ( await offer.textContent() ).match( /Leave your email or phone/g ) || [] ).length;
	check( intros === 1, `the lead offer says "Leave your email or phone" once (${ intros }): ${ await offer.textContent() }` );
	const labels = await page.locator( '.aisle-lead input' ).evaluateAll( ( is ) => is.map( ( i ) => ( { type: i.type, label: i.labels && i.labels.length ? i.labels[ 0 ].textContent.trim() : '' } ) ) );
	check( labels.length === 3 && labels.every( ( l ) => l.label.length > 1 ), 'every lead field has a <label>: ' + JSON.stringify( labels ) );
	check( labels.find( ( l ) => l.type === 'email' )?.label === 'Email' && labels.find( ( l ) => l.type === 'tel' )?.label === 'Phone', 'the email and phone fields are labelled Email and Phone: ' + JSON.stringify( labels ) );
	await page.screenshot( { path: `${ outdir }/widget-experience-${ label }-lead.png` } );
	await desk.close();

	// A phone: the panel covers the screen and is modal; the text fields are 16 px.
	const phone = await browser.newContext( { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } );
	const mobile = await e2e.watch( await phone.newPage() );
	for ( const [ name, path ] of Object.entries( pages ) ) {
		await ready( mobile, path );
		await mobile.locator( '.aisle-launcher' ).click();
		await mobile.waitForSelector( '#aisle-panel:not([hidden])' );
		check( ( await mobile.getAttribute( '#aisle-panel', 'aria-modal' ) ) === 'true', `${ name }: modal when the panel covers the screen` );
		const m = await box( mobile );
		check( m.fontSize === '16px', `${ name }: the message box is 16 px on a phone (${ m.fontSize })` );
		if ( name === 'product' ) {
			await ask( mobile, 'Can I talk to a human?' );
			await mobile.waitForSelector( '.aisle-lead' );
			const sizes = await mobile.locator( '.aisle-lead input[type=email], .aisle-lead input[type=tel]' ).evaluateAll( ( is ) => is.map( ( i ) => getComputedStyle( i ).fontSize ) );
			check( sizes.length === 2 && sizes.every( ( s ) => s === '16px' ), 'the lead fields are 16 px on a phone: ' + sizes.join( ', ' ) );
			await mobile.screenshot( { path: `${ outdir }/widget-experience-${ label }-lead-390.png` } );
		}
		await mobile.keyboard.press( 'Escape' );
		check( await mobile.evaluate( () => document.getElementById( 'aisle-panel' ).hidden ), `${ name }: Escape closes on a phone` );
	}
	await phone.close();
} catch ( e ) {
	problems.push( `exception [${ label }]: ${ e.message }` );
} finally {
	console.log( 'metrics: ' + JSON.stringify( metrics ) );
	await e2e.finish();
}
