// The Channels tab in Chromium (issue 18): secrets saved write-only ("saved, ends in …", fields
// emptied), a verify token generated and shown once with its Copy button, Send test message
// reaching the fake Graph API, and axe-core finding no serious or critical violation.
// Usage: node channels.mjs BASE_URL USER PASSWORD ARTIFACTS_DIR
import { logIn, session } from './browser.mjs';
import { axeViolations } from './a11y.mjs';

const [ base, user, pass, dir ] = process.argv.slice( 2 );
const run = session( base, 'channels' );
const { check } = run;
const browser = await run.launch();

try {
	const page = await browser.newPage( { viewport: { width: 1280, height: 800 } } );
	await run.watch( page );
	await logIn( page, base, user, pass );
	await page.goto( base + '/wp-admin/admin.php?page=aisle&tab=channels' );

	const card = page.locator( '.aisle-channel[data-channel="messenger"]' );
	check( ( await card.locator( '[data-secret-state="messenger_app_secret"]' ).textContent() ).includes( 'saved' ), 'the saved app secret is described' );
	await card.locator( '#aisle-ch-messenger_page_access_token' ).fill( 'EAAGbrowser-token-9876' );
	await page.click( '#aisle-channels-save' );
	await page.waitForFunction( () => document.getElementById( 'aisle-channels-saved' ).textContent === 'Saved.' );
	check( ( await card.locator( '[data-secret-state="messenger_page_access_token"]' ).textContent() ) === 'saved, ends in …9876', 'the token shows only its end' );
	check( ( await card.locator( '#aisle-ch-messenger_page_access_token' ).inputValue() ) === '', 'the field is emptied after saving' );

	check( ! ( await card.locator( '.aisle-ch-copy-once' ).isVisible() ), 'no Copy button before a token exists' );
	await card.locator( '[data-action="verify-token"]' ).click();
	await card.locator( '.aisle-ch-once' ).waitFor();
	const token = await card.locator( '.aisle-ch-once' ).textContent();
	check( /^[A-Za-z0-9]{32}$/.test( token ), 'a 32-character verify token is shown: ' + token );
	check( await card.locator( '.aisle-ch-copy-once' ).isVisible(), 'with its Copy button' );
	await page.screenshot( { path: dir + '/channels-verify-token.png' } );

	const wa = page.locator( '.aisle-channel[data-channel="whatsapp"]' );
	await wa.locator( '[data-test-to]' ).fill( '15557654321' );
	await wa.locator( '[data-action="test"]' ).click();
	await page.waitForFunction( () => document.querySelector( '.aisle-channel[data-channel="whatsapp"] [data-test-result]' ).textContent.startsWith( 'Sent' ) );

	await page.goto( base + '/wp-admin/admin.php?page=aisle&tab=channels' );
	check( ( await page.locator( '.aisle-channel[data-channel="messenger"] .aisle-ch-once' ).textContent() ) === '', 'after a reload the token is not shown again' );
	const found = await axeViolations( page, '#aisle-channels' );
	check( found.length === 0, 'axe on the Channels tab: ' + found.join( '; ' ) );
	await page.screenshot( { path: dir + '/channels.png', fullPage: true } );
} catch ( e ) {
	run.problems.push( 'exception: ' + e.message );
} finally {
	await run.finish( 'channels screen ok' );
}
