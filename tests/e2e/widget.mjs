// Talking to the storefront widget the way a shopper does, shared by the e2e scripts.

/** Types $text into the open widget, sends it, and waits for the complete (not streaming) reply. */
export async function ask( page, text ) {
	const n = await page.locator( '.aisle-msg.aisle-assistant' ).count();
	await page.fill( '#aisle-panel textarea', text );
	await page.keyboard.press( 'Enter' );
	await page.waitForFunction( ( k ) => {
		const m = document.querySelectorAll( '.aisle-msg.aisle-assistant' );
		return m.length > k && m[ m.length - 1 ].getAttribute( 'aria-busy' ) !== 'true' && m[ m.length - 1 ].textContent !== '';
	}, n );
	return page.locator( '.aisle-msg.aisle-assistant' ).last();
}

/** Opens the widget from its launcher. */
export async function openWidget( page ) {
	await page.waitForSelector( '.aisle-launcher' );
	await page.click( '.aisle-launcher' );
	await page.waitForSelector( '#aisle-panel:not([hidden])' );
}
