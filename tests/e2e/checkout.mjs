// Chat to order in Debian's headless Chromium: storefront, widget, a variable product's card
// ("Choose options" opens its page, nothing is added), a simple product's card ("Add to cart"
// puts it in WooCommerce's cart), the block checkout with Cash on delivery, "Order received",
// then the order in wp-admin with its Aisle box. Exits non-zero on a failed check, a console
// error, a page error or a failed request to the store. Screenshots go to OUTDIR.
// Prints "session=<chat session id>" and "order=<order id>" for the PHP side, then "ok".
// Usage: node checkout.mjs BASE_URL OUTDIR CART_PATH CHECKOUT_PATH ADMIN_USER ADMIN_PASS
import { logIn, session } from './browser.mjs';
import { ask as askOn, openWidget as openOn } from './widget.mjs';

const [ base, outdir, cartPath, checkoutPath, adminUser, adminPass ] = process.argv.slice( 2 );
const run = session( base );
const { problems, check } = run;
const browser = await run.launch();
const context = await browser.newContext( { viewport: { width: 1280, height: 900 } } );
const page = await context.newPage();
const ask = ( text ) => askOn( page, text );
const openWidget = () => openOn( page );
await run.watch( page );


/** The card of product $name in the last reply. */
async function card( name ) {
	const last = page.locator( '.aisle-msg.aisle-assistant' ).last();
	const cards = page.locator( '.aisle-card', { has: page.locator( '.aisle-card-name', { hasText: name } ) } );
	await cards.first().waitFor( { timeout: 10000 } ).catch( () => {} );
	const count = await cards.count();
	check( count > 0, `a card for ${ name } (reply: ${ await last.textContent() })` );
	return cards.last();
}

const cartItems = () => page.evaluate( async () => ( await ( await fetch( '/wp-json/wc/store/v1/cart', { credentials: 'same-origin' } ) ).json() ).items.map( ( i ) => i.name ) );

try {
	await page.goto( base + '/shop/' );
	await openWidget();

	// A variable product: "Choose options" leads to its page, where the shopper picks a size.
	await ask( 'Do you have a zip hoodie?' );
	const session = await page.evaluate( () => sessionStorage.getItem( 'aisle_session' ) );
	check( /^[0-9a-f-]{36}$/.test( session || '' ), 'the widget keeps a chat session id: ' + session );
	const zip = await card( 'Aisle Zip Hoodie' );
	const zipLink = zip.locator( 'a.aisle-card-cart' );
	check( ( await zipLink.textContent() ) === 'Choose options', 'variable product offers Choose options: ' + await zipLink.textContent() );
	const zipHref = await zipLink.getAttribute( 'href' );
	check( ! zipHref.includes( 'add-to-cart' ), 'Choose options is no add-to-cart link: ' + zipHref );
	check( zipHref.includes( 'aisle_session=' + session ), 'Choose options carries the chat session' );
	await Promise.all( [ page.waitForNavigation(), zipLink.click() ] );
	check( new URL( page.url() ).pathname.includes( 'aisle-zip-hoodie' ), 'on the zip hoodie page: ' + page.url() );
	check( ( await page.locator( 'form.variations_form select' ).count() ) > 0, 'the product page offers the variation choice' );
	check( ( await page.locator( '.woocommerce-error, .wc-block-components-notice-banner.is-error' ).count() ) === 0, 'no error notice on the product page' );
	check( ( await cartItems() ).length === 0, 'nothing was added to the cart by Choose options' );
	await page.screenshot( { path: outdir + '/checkout-choose-options.png' } );

	// A simple product: "Add to cart" puts it in WooCommerce's cart.
	await openWidget();
	await ask( 'Do you have hoodies under 50?' );
	const blue = await card( 'Aisle Blue Hoodie' );
	const add = blue.locator( 'a.aisle-card-cart' );
	check( ( await add.textContent() ) === 'Add to cart', 'simple product offers Add to cart' );
	await Promise.all( [ page.waitForNavigation(), add.click() ] );
	check( ( await cartItems() ).includes( 'Aisle Blue Hoodie' ), 'the hoodie is in the cart' );
	await page.goto( base + cartPath );
	await page.waitForSelector( '.wc-block-cart-items .wc-block-components-product-name', { timeout: 20000 } );
	const listed = await page.locator( '.wc-block-cart-items .wc-block-components-product-name' ).allTextContents();
	check( listed.includes( 'Aisle Blue Hoodie' ) && listed.length === 1, 'the cart page lists the hoodie: ' + listed.join( ', ' ) );
	await page.screenshot( { path: outdir + '/checkout-cart.png' } );

	// The block checkout: address (billing uses the same), Cash on delivery, place the order.
	await page.goto( base + checkoutPath );
	await page.waitForSelector( '#shipping-first_name', { timeout: 20000 } );
	await page.fill( '#email', 'e2e-buyer@example.com' );
	await page.selectOption( '#shipping-country', 'US' );
	await page.fill( '#shipping-first_name', 'Grace' );
	await page.fill( '#shipping-last_name', 'Hopper' );
	await page.fill( '#shipping-address_1', '350 Fifth Avenue' );
	await page.fill( '#shipping-city', 'New York' );
	await page.selectOption( '#shipping-state', 'NY' );
	await page.fill( '#shipping-postcode', '10118' );
	await page.fill( '#shipping-phone', '(212) 555-0199' );
	await page.locator( '#shipping-phone' ).blur();
	await page.waitForSelector( 'input[value^="free_shipping:"]', { timeout: 20000 } );
	await page.check( '#radio-control-wc-payment-method-options-cod' );
	check( await page.isChecked( '#radio-control-wc-payment-method-options-cod' ), 'Cash on delivery chosen' );
	await page.screenshot( { path: outdir + '/checkout-form.png', fullPage: true } );
	// The block checkout ignores a click while it recalculates (each field change sends the
	// draft order again), and a loaded machine can leave a recalculation running when the
	// click lands: wait until the checkout store is idle, and click again only if no order
	// was sent (an ignored click places nothing, so this never places two).
	const placeOrder = ( r ) => r.method() === 'POST' && /\/wc\/store\/v1\/checkout(\?|$)/.test( r.url() ) && ! r.url().includes( 'calc_totals' );
	let sent = null;
	for ( let attempt = 0; attempt < 3 && ! sent; attempt++ ) {
		await page.waitForFunction( () => {
			const s = window.wp && wp.data && wp.data.select( 'wc/store/checkout' );
			return ! s || ! s.isIdle || ( s.isIdle() && ! s.isCalculating() );
		}, null, { timeout: 30000 } );
		[ sent ] = await Promise.all( [
			page.waitForRequest( placeOrder, { timeout: 10000 } ).catch( () => null ),
			page.click( '.wc-block-components-checkout-place-order-button', { timeout: 15000 } ).catch( () => null ),
		] );
	}
	check( !! sent, 'Place order sent the order' );
	await page.waitForURL( /order-received/, { timeout: 60000, waitUntil: 'commit' } );
	await page.waitForLoadState( 'load' );
	const order = ( page.url().match( /order-received\/(\d+)/ ) || [] )[ 1 ];
	check( !! order, 'order id in the order received URL: ' + page.url() );
	const body = await page.locator( 'body' ).innerText();
	check( /order has been received/i.test( body ), 'order received page: ' + body.slice( 0, 300 ) );
	check( body.includes( 'Cash on delivery' ), 'paid by Cash on delivery' );
	check( body.includes( 'Aisle Blue Hoodie' ), 'the hoodie is on the order' );
	await page.screenshot( { path: outdir + '/checkout-order-received.png', fullPage: true } );

	// The merchant opens the order in wp-admin (same browser): the Aisle box with the chat.
	await logIn( page, base, adminUser, adminPass );
	await page.goto( base + '/wp-admin/admin.php?page=wc-orders&action=edit&id=' + order );
	const box = page.locator( '#aisle-order-attribution' );
	await box.waitFor( { timeout: 20000 } );
	check( await box.isVisible(), 'the Aisle box is visible on the order screen' );
	check( ( await box.innerText() ).includes( 'Chat-assisted order' ), 'the box says chat-assisted' );
	check( ( await box.innerText() ).includes( session ), 'the box shows the chat session' );
	const conv = box.locator( 'a.aisle-order-conversation' );
	check( ( await conv.count() ) === 1, 'the box links to the conversation' );
	await box.scrollIntoViewIfNeeded();
	await page.screenshot( { path: outdir + '/checkout-admin-order.png' } );
	await Promise.all( [ page.waitForNavigation(), conv.click() ] );
	check( ( await page.locator( '#aisle-transcript' ).innerText() ).includes( 'hoodies under 50' ), 'the link opens the transcript' );

	console.log( 'session=' + session );
	console.log( 'order=' + order );
} catch ( e ) {
	problems.push( 'exception: ' + e.message + ' on ' + page.url() );
	await page.screenshot( { path: outdir + '/checkout-failure.png', fullPage: true } ).catch( () => {} );
} finally {
	await run.finish();
}
