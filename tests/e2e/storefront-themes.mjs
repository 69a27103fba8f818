// The storefront widget on the theme the site has active, in Debian's headless Chromium: on the
// shop, a product, the cart and the checkout, at 1280 and 390 px wide, the launcher is present
// and visible, opening it shows the panel, the page does not scroll sideways, and on mobile the
// launcher covers neither the cart's "Proceed to checkout" nor the checkout's "Place order".
// Exits non-zero on a failed check, a console error, a page error or a failed request to the
// store. Screenshots go to OUTDIR as theme-<LABEL>-<page>-<width>.png.
// Usage: node storefront-themes.mjs BASE_URL OUTDIR LABEL PRODUCT_ID PAGES_JSON
// PAGES_JSON: {"shop": path, "product": path, "cart": path, "checkout": path, …}; a name with
// "cart" or "checkout" in it gets the button checks.
import { session } from './browser.mjs';

const [ base, outdir, label, productId, pagesJson ] = process.argv.slice( 2 );
const pages = JSON.parse( pagesJson );
const e2e = session( base, label );
const { problems, check } = e2e;
const browser = await e2e.launch();

const overlap = ( a, b ) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

async function run( width, height ) {
	const context = await browser.newContext( { viewport: { width, height }, isMobile: width < 600, hasTouch: width < 600 } );
	const page = await context.newPage();
	const where = () => `${ page.url() } at ${ width }px`;
	// The store is offline: requests to other hosts (fonts, emoji CDNs) are refused, as the site refuses its own.
	await e2e.watch( page, { where } );
	// Something in the cart, so the cart and the checkout show their forms and buttons. Through
	// the Store API: an add-to-cart link would leave a notice that WooCommerce focuses on the next
	// page once its scripts run, taking the focus out of a panel opened before that.
	await page.goto( base + pages.shop );
	const added = await page.evaluate( async ( id ) => {
		const cart = await fetch( '/wp-json/wc/store/v1/cart', { credentials: 'same-origin' } );
		const r = await fetch( '/wp-json/wc/store/v1/cart/add-item', { method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json', Nonce: cart.headers.get( 'Nonce' ) }, body: JSON.stringify( { id: Number( id ), quantity: 1 } ) } );
		return r.status;
	}, productId );
	check( added === 201, `added the product to the cart (${ added })` );

	for ( const [ name, path ] of Object.entries( pages ) ) {
		await page.goto( base + path );
		await page.waitForLoadState( 'load' );
		if ( name.includes( 'cart' ) ) { await page.waitForSelector( '.wc-block-cart__submit-button, .checkout-button', { timeout: 20000 } ); }
		if ( name === 'product' ) { check( ( await page.locator( '.single_add_to_cart_button' ).count() ) > 0, `product: the page has its add to cart button at ${ width }px` ); }
		if ( name.includes( 'checkout' ) ) { await page.waitForSelector( '.wc-block-components-checkout-place-order-button, #place_order', { timeout: 20000 } ); }
		const launcher = page.locator( '.aisle-launcher' );
		await launcher.waitFor( { state: 'attached', timeout: 10000 } );
		// The stylesheet is loaded by the script: wait until it applies (the widget's root is fixed).
		await page.waitForFunction( () => { const r = document.getElementById( 'aisle-root' ); return r && getComputedStyle( r ).position === 'fixed'; }, null, { timeout: 10000 } );
		check( await launcher.isVisible(), `${ name}: launcher visible at ${ width }px` );
		const lb = await launcher.boundingBox();
		check( lb && lb.x >= 0 && lb.y >= 0 && lb.x + lb.width <= width && lb.y + lb.height <= height, `${ name }: launcher inside the viewport at ${ width }px: ${ JSON.stringify( lb ) }` );
		const wide = await page.evaluate( () => ( { scroll: document.scrollingElement.scrollWidth, inner: window.innerWidth } ) );
		check( wide.scroll <= wide.inner, `${ name }: no horizontal overflow at ${ width }px (scrollWidth ${ wide.scroll } > ${ wide.inner })` );
		// The launcher is on top where it sits, not under a theme's header or footer.
		if ( lb ) {
			const top = await page.evaluate( ( p ) => { const e = document.elementFromPoint( p.x, p.y ); return !! e && !! e.closest( '.aisle-launcher' ); }, { x: lb.x + lb.width / 2, y: lb.y + lb.height / 2 } );
			check( top, `${ name }: launcher is the topmost element where it sits at ${ width }px` );
		}

		if ( name.includes( 'checkout' ) || name.includes( 'cart' ) ) {
			// The button that moves the sale on: scrolled into view as Playwright (and a tap on a
			// link to it) does, then with the page scrolled to its very end, where it can go no
			// higher. Checked once the checkout's scripts have settled (they fill in the form).
			await page.waitForLoadState( 'networkidle' );
			const what = name.includes( 'checkout' ) ? 'Place order' : 'Proceed to checkout';
			const button = page.locator( name.includes( 'checkout' ) ? '.wc-block-components-checkout-place-order-button, #place_order' : '.wc-block-cart__submit-button, .checkout-button' ).first();
			for ( const how of [ 'into view', 'page end' ] ) {
				if ( how === 'into view' ) {
					await page.evaluate( () => window.scrollTo( 0, 0 ) );
					await button.scrollIntoViewIfNeeded();
				} else {
					await page.evaluate( () => window.scrollTo( 0, document.scrollingElement.scrollHeight ) );
				}
				await page.waitForTimeout( 300 );
				const bb = await button.boundingBox();
				const lb2 = await launcher.boundingBox();
				if ( how === 'page end' && bb && ( bb.y + bb.height <= 0 || bb.y >= height ) ) {
					continue; // Scrolled past it: the shopper sees it higher up the page.
				}
				check( bb && lb2 && ! overlap( bb, lb2 ), `${ name }: the launcher does not cover ${ what } (${ how }) at ${ width }px: button ${ JSON.stringify( bb ) }, launcher ${ JSON.stringify( lb2 ) }` );
				// Only a centre inside the viewport can take a tap (elementFromPoint is null outside it).
				if ( bb && bb.y + bb.height / 2 < height && bb.y + bb.height / 2 > 0 ) {
					const hit = await page.evaluate( ( p ) => { const e = document.elementFromPoint( p.x, p.y ); return e ? ( e.closest( '#aisle-root' ) ? 'aisle' : 'page' ) : 'none'; }, { x: bb.x + bb.width / 2, y: bb.y + bb.height / 2 } );
					check( hit === 'page', `${ name }: ${ what }'s centre takes the tap, not the widget (${ how }) at ${ width }px (${ hit })` );
				}
				await page.screenshot( { path: `${ outdir }/theme-${ label }-${ name }-button-${ how.replace( ' ', '-' ) }-${ width }.png` } );
			}
		}

		await launcher.click();
		await page.waitForSelector( '#aisle-panel:not([hidden])', { timeout: 5000 } );
		const panel = await page.locator( '#aisle-panel' ).boundingBox();
		check( panel && panel.width > 200 && panel.height > 200 && panel.x >= 0 && panel.x + panel.width <= width + 1, `${ name }: panel opens inside the viewport at ${ width }px: ${ JSON.stringify( panel ) }` );
		await page.waitForTimeout( 300 ); // The panel's opening animation.
		const typed = await page.locator( '#aisle-panel textarea' ).isVisible();
		check( typed, `${ name }: the message box is visible at ${ width }px` );
		// Nothing (the launcher included) lies over the panel's own controls.
		for ( const sel of [ '#aisle-panel textarea', '#aisle-panel .aisle-send', '#aisle-panel .aisle-close' ] ) {
			const b = await page.locator( sel ).boundingBox();
			const ok = b && await page.evaluate( ( a ) => { const e = document.elementFromPoint( a.x, a.y ); return !! e && !! e.closest( a.sel ); }, { x: b.x + b.width / 2, y: b.y + b.height / 2, sel } );
			check( ok, `${ name }: ${ sel } takes the tap with the panel open at ${ width }px` );
		}
		const wide2 = await page.evaluate( () => ( { scroll: document.scrollingElement.scrollWidth, inner: window.innerWidth } ) );
		check( wide2.scroll <= wide2.inner, `${ name }: no horizontal overflow with the panel open at ${ width }px (${ wide2.scroll } > ${ wide2.inner })` );
		await page.screenshot( { path: `${ outdir }/theme-${ label }-${ name }-${ width }.png` } );
		const focused = await page.evaluate( () => ( document.activeElement ? document.activeElement.outerHTML.slice( 0, 80 ) : 'none' ) );
		await page.keyboard.press( 'Escape' );
		check( await page.evaluate( () => document.getElementById( 'aisle-panel' ).hidden ), `${ name }: Escape closes the panel at ${ width }px (focus was on ${ focused })` );
	}
	await context.close();
}

try {
	await run( 1280, 900 );
	await run( 390, 844 );
} catch ( e ) {
	problems.push( `exception [${ label }]: ${ e.message }` );
} finally {
	await e2e.finish();
}
