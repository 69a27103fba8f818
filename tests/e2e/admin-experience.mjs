// The admin's first minutes in Chromium (issue 15): a save with three bad fields shows three
// plain messages next to their fields and the result in a snackbar in view; Sync now moves
// within a couple of seconds although nothing runs the queue (the test site's queue is manual),
// keeps moving from the page's own poll, and Cancel stops it; deleting a lead asks first.
// Usage: node admin-experience.mjs BASE_URL USER PASSWORD ARTIFACTS_DIR
import { logIn, session } from './browser.mjs';

const [ base, user, pass, dir ] = process.argv.slice( 2 );
const run = session( base );
const { check } = run;
const browser = await run.launch();
const done = async ( page ) => {
	const m = /^(\d+) of (\d+)/.exec( await page.textContent( '#aisle-sync-text' ) );
	return m ? Number( m[ 1 ] ) : -1;
};
try {
	const page = await browser.newPage( { viewport: { width: 1280, height: 800 } } );
	await run.watch( page, { allow: ( r ) => r.status() === 400 && r.request().method() === 'POST' && ( r.url().includes( 'aisle%2Fv1%2Fsettings' ) || r.url().includes( '/aisle/v1/settings' ) ) } );
	await logIn( page, base, user, pass );

	const open = async ( section = 'assistant' ) => {
		await page.goto( base + '/wp-admin/admin.php?page=aisle&tab=settings&section=' + section );
		await page.waitForFunction( () => document.getElementById( 'aisle-sync-text' ).textContent !== '' && document.getElementById( 'aisle-key-source' ).textContent !== '' );
	};
	await open();

	// Validation: one pass, every field, plain words, the result where the admin is looking.
	// The fields sit in two sections: the links switch them in place, the values stay.
	await page.click( '#aisle-section-link-appearance' );
	await page.fill( '#aisle-welcome_message', 'x'.repeat( 600 ) );
	await page.click( '#aisle-section-link-assistant' );
	await page.fill( '#aisle-retention_days', '-1' );
	await page.fill( '#aisle-support_email', 'bob@' );
	await page.click( '#aisle-save' );
	await page.waitForFunction( () => [ 'welcome_message', 'retention_days', 'support_email' ].every( ( f ) => document.querySelector( '.aisle-field-error[data-field="' + f + '"]' ).textContent !== '' ), null, { timeout: 5000 } );
	const msg = ( f ) => page.textContent( '.aisle-field-error[data-field="' + f + '"]' );
	check( ( await msg( 'welcome_message' ) ) === 'The welcome message can be at most 500 characters.', 'welcome message error: ' + ( await msg( 'welcome_message' ) ) );
	check( ! /inclusive/.test( await msg( 'retention_days' ) ), 'retention error in plain words: ' + ( await msg( 'retention_days' ) ) );
	check( ( await page.getAttribute( '#aisle-support_email', 'aria-invalid' ) ) === 'true', 'the email field is marked invalid' );
	// The first field to fix is shown (its section opened); each section link counts its fixes.
	check( await page.isVisible( '#aisle-welcome_message' ), 'the section of the first error is open' );
	check( /1 to fix/.test( await page.textContent( '#aisle-section-link-appearance' ) ), 'Appearance counts one fix: ' + ( await page.textContent( '#aisle-section-link-appearance' ) ) );
	check( /2 to fix/.test( await page.textContent( '#aisle-section-link-assistant' ) ), 'Assistant counts two fixes: ' + ( await page.textContent( '#aisle-section-link-assistant' ) ) );
	const snack = await page.$( '#aisle-snackbar' );
	check( await snack.isVisible(), 'the snackbar shows the save result' );
	const box = await snack.boundingBox();
	check( box && box.y >= 0 && box.y + box.height <= 800, 'the snackbar is inside the window: ' + JSON.stringify( box ) );
	check( /Nothing was saved/.test( await snack.textContent() ), 'the snackbar says nothing was saved' );
	const save = await ( await page.$( '#aisle-save' ) ).boundingBox();
	check( save && save.y >= 0 && save.y + save.height <= 800, 'the Save button is in view with the snackbar' );
	await page.screenshot( { path: dir + '/admin-validation.png' } );

	// Sync now: moves with nobody running the queue.
	await open( 'catalog' );
	await page.locator( '#aisle-sync-now' ).scrollIntoViewIfNeeded();
	const before = await page.textContent( '#aisle-sync-text' );
	const t0 = Date.now();
	await page.click( '#aisle-sync-now' );
	await page.waitForFunction( () => /^[1-9]\d* of \d+ products read/.test( document.getElementById( 'aisle-sync-text' ).textContent ), null, { timeout: 2000 } );
	check( Date.now() - t0 < 2000, 'progress shown within 2 s' );
	check( ( await page.textContent( '#aisle-sync-text' ) ) !== before, 'the progress text changed' );
	const first = await done( page );
	// The page's poll keeps it moving: the count grows without any other request.
	await page.waitForFunction( ( n ) => {
		const m = /^(\d+) of/.exec( document.getElementById( 'aisle-sync-text' ).textContent );
		return m && Number( m[ 1 ] ) > n;
	}, first, { timeout: 8000 } );
	check( /left/.test( await page.textContent( '#aisle-sync-text' ) ), 'an ETA is shown: ' + ( await page.textContent( '#aisle-sync-text' ) ) );
	await page.screenshot( { path: dir + '/admin-sync-progress.png' } );
	check( await page.isVisible( '#aisle-sync-cancel' ), 'Cancel is offered while the sync runs' );
	await page.click( '#aisle-sync-cancel' );
	await page.waitForFunction( () => /cancelled/i.test( document.getElementById( 'aisle-sync-text' ).textContent ), null, { timeout: 15000 } );
	check( ! ( await page.isVisible( '#aisle-sync-cancel' ) ), 'Cancel hidden once cancelled' );
	check( await page.isEnabled( '#aisle-sync-now' ), 'Sync now available again' );

	// Leads: Delete asks first; Cancel keeps the lead.
	await page.goto( base + '/wp-admin/admin.php?page=aisle&tab=leads' );
	const rows = await page.$$( '#aisle-leads tbody tr[id^="aisle-lead-"]' );
	check( rows.length > 0, 'a lead is listed' );
	const rowId = await rows[ 0 ].getAttribute( 'id' );
	// The first click only asks (in the page: no browser dialog); Cancel keeps the lead.
	await page.click( '#' + rowId + ' .aisle-lead-delete' );
	await page.waitForSelector( '#aisle-lead-confirm:not([hidden])', { timeout: 2000 } );
	check( /Delete the lead .+\? This cannot be undone\./.test( await page.textContent( '#aisle-lead-confirm-text' ) ), 'the question names the lead' );
	check( ( await page.evaluate( () => document.activeElement.id ) ) === 'aisle-lead-confirm-delete', 'focus on the confirming button' );
	await page.screenshot( { path: dir + '/admin-lead-delete-confirm.png' } );
	await page.click( '#aisle-lead-confirm-cancel' );
	check( ! ( await page.isVisible( '#aisle-lead-confirm' ) ), 'Cancel closes the question' );
	await page.reload();
	check( ( await page.$$( '#' + rowId ) ).length === 1, 'asking and cancelling deleted nothing' );
	await page.click( '#' + rowId + ' .aisle-lead-delete' );
	await Promise.all( [ page.waitForNavigation(), page.click( '#aisle-lead-confirm-delete' ) ] );
	check( ( await page.$$( '#' + rowId ) ).length === 0, 'confirming deleted the lead' );
	check( /Lead deleted/.test( await page.textContent( '.wrap' ) ), 'the result is said' );
} catch ( e ) {
	run.problems.push( 'exception: ' + e.message );
} finally {
	await run.finish( 'admin experience ok' );
}
