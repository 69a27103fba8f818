// Live handoff in Chromium (issue 16), three browser contexts at once on the real store:
// a shopper on a page-cached storefront (the HTML served stale from a copy taken first), a staff
// member on the Live view, and a stranger who knows the shopper's session id but not the token.
// Ask for a human → staff sees it without reload → takes over → replies → the shopper sees it
// without reload → answers → the staff sees that → release → the assistant answers again; a page
// load restores the conversation with its product cards. Before the widget is opened the page
// makes no Aisle request; polling pauses while the tab is hidden and backs off while idle.
// Usage: node handoff.mjs BASE_URL ARTIFACTS_DIR
import { logIn, session } from './browser.mjs';
import { ask, openWidget } from './widget.mjs';

const [ base, dir ] = process.argv.slice( 2 );
const run = session( base );
const { check } = run;
const browser = await run.launch();
const isRead = ( u ) => u.includes( 'chat%2Fmessages' ) || u.includes( 'chat/messages' );
const isAisle = ( u ) => /aisle%2Fv1|\/aisle\/v1|widget-live\.js/.test( u );
try {
	// The "page cache": the storefront's HTML as it was before anything happened, served to the shopper.
	const cached = await ( await fetch( base + '/' ) ).text();
	check( cached.includes( 'window.aisleConfig=' ), 'the cached page has the widget' );
	check( ! /nonce/i.test( /window\.aisleConfig=(\{.*?\});/.exec( cached )?.[ 1 ] || 'nonce' ), 'the widget config carries no nonce' );

	const shopperCtx = await browser.newContext( { viewport: { width: 1280, height: 800 } } );
	const shopper = await shopperCtx.newPage();
	await run.watch( shopper, { where: () => 'shopper ' + shopper.url() } );
	const requests = [];
	shopper.on( 'request', ( r ) => requests.push( { url: r.url(), at: Date.now() } ) );
	await shopper.route( base + '/', ( route ) => ( route.request().resourceType() === 'document' ? route.fulfill( { status: 200, contentType: 'text/html; charset=UTF-8', headers: { 'X-Cache': 'HIT' }, body: cached } ) : route.continue() ) );

	const staffCtx = await browser.newContext( { viewport: { width: 1280, height: 800 } } );
	const staff = await staffCtx.newPage();
	await run.watch( staff, { where: () => 'staff ' + staff.url() } );
	await logIn( staff, base, 'admin', 'admin-password-123' );
	await staff.goto( base + '/wp-admin/admin.php?page=aisle&tab=chats&view=live' );
	await staff.waitForSelector( '#aisle-live-list', { state: 'attached' } );
	await staff.fill( '#aisle-live-agent-name', 'Ana' );
	await staff.click( '#aisle-live-agent button[type=submit]' );
	await staff.waitForFunction( () => /Ana/.test( document.getElementById( 'aisle-live-agent-status' ).textContent ) );

	await shopper.goto( base + '/' );
	await shopper.waitForSelector( '.aisle-launcher' );
	await shopper.waitForTimeout( 1500 );
	const early = requests.filter( ( r ) => isAisle( r.url ) );
	check( early.length === 0, 'no Aisle request before the widget is opened: ' + early.map( ( r ) => r.url ).join( ', ' ) );

	// Ask for a person: the assistant steps aside.
	await openWidget( shopper );
	await shopper.fill( '#aisle-panel textarea', 'Can I talk to a human please? I have a question about sizes.' );
	await shopper.keyboard.press( 'Enter' );
	await shopper.waitForSelector( '.aisle-msg.aisle-system:has-text("Connecting you with the team")', { timeout: 10000 } );
	check( ( await shopper.locator( '.aisle-msg.aisle-assistant' ).count() ) === 1, 'only the welcome: the assistant did not answer the request for a person' );
	const sid = await shopper.evaluate( () => sessionStorage.getItem( 'aisle_session' ) );
	const token = await shopper.evaluate( () => sessionStorage.getItem( 'aisle_token' ) );
	check( /^[0-9a-f]{64}$/.test( token || '' ), 'the token is kept in sessionStorage' );

	// Staff: it appears in the list without a reload, first, with its wait.
	const item = staff.locator( '.aisle-live-item[data-status="waiting"]', { hasText: 'question about sizes' } ).first();
	await item.waitFor( { timeout: 10000 } );
	check( /Waiting/.test( await item.textContent() ), 'the waiting conversation is listed' );
	await item.click();
	await staff.waitForFunction( () => /question about sizes/.test( document.getElementById( 'aisle-live-messages' ).textContent ) );
	await staff.click( '#aisle-live-claim' );
	await staff.waitForFunction( () => /With the team/.test( document.getElementById( 'aisle-live-state' ).textContent ) && ! document.getElementById( 'aisle-live-text' ).disabled );
	check( ! ( await staff.isVisible( '#aisle-live-claim' ) ) && await staff.isVisible( '#aisle-live-release' ), 'taken: Release instead of Take over' );

	await shopper.waitForSelector( '.aisle-msg.aisle-system:has-text("Ana from")', { timeout: 15000 } );
	check( ( await shopper.textContent( '#aisle-title' ) ) === 'Ana', 'the header names the staff member' );
	check( ! /admin@|admin-password/.test( await shopper.textContent( '#aisle-panel' ) ), 'never the login email' );

	// Typing, then the reply reaches the shopper without a reload.
	await staff.type( '#aisle-live-text', 'Hello, I am Ana. Our **hoodies** come in S to XL.' );
	await shopper.waitForSelector( '.aisle-typing', { timeout: 15000 } );
	await staff.keyboard.press( 'Enter' );
	const human = shopper.locator( '.aisle-msg.aisle-human:not(.aisle-typing)' );
	await human.first().waitFor( { timeout: 15000 } );
	check( /Hello, I am Ana/.test( await human.first().textContent() ), 'the shopper reads the reply' );
	check( ( await human.first().locator( 'strong' ).textContent() ) === 'hoodies', 'safe markdown renders, as text nodes' );
	await shopper.screenshot( { path: dir + '/handoff-shopper.png' } );

	// The shopper answers; the staff sees it.
	await shopper.fill( '#aisle-panel textarea', 'Thanks Ana, I need size M' );
	await shopper.keyboard.press( 'Enter' );
	await staff.waitForFunction( () => /size M/.test( document.getElementById( 'aisle-live-messages' ).textContent ), null, { timeout: 15000 } );
	await shopper.waitForTimeout( 1500 );
	check( ( await shopper.locator( '.aisle-msg.aisle-assistant' ).count() ) === 1, 'the assistant stays silent while a person answers' );
	await staff.screenshot( { path: dir + '/handoff-staff.png' } );

	// Polling: idle reads back off, and a hidden tab reads nothing.
	const t0 = Date.now();
	await shopper.waitForTimeout( 15000 );
	const gaps = requests.filter( ( r ) => isRead( r.url ) && r.at >= t0 ).map( ( r ) => r.at ).map( ( t, i, a ) => ( i ? t - a[ i - 1 ] : 0 ) ).slice( 1 );
	check( gaps.length >= 2 && gaps[ gaps.length - 1 ] > gaps[ 0 ] + 500 && gaps.every( ( g ) => g >= 1900 && g <= 10500 ), 'idle polling backs off within 2 to 10 s: ' + gaps.join( ', ' ) );
	await shopper.evaluate( () => {
		Object.defineProperty( document, 'hidden', { configurable: true, get: () => true } );
		document.dispatchEvent( new Event( 'visibilitychange' ) );
	} );
	const hiddenAt = Date.now();
	await shopper.waitForTimeout( 6000 );
	check( requests.filter( ( r ) => isRead( r.url ) && r.at > hiddenAt + 200 ).length === 0, 'no reads while the tab is hidden' );
	await shopper.evaluate( () => {
		Object.defineProperty( document, 'hidden', { configurable: true, get: () => false } );
		document.dispatchEvent( new Event( 'visibilitychange' ) );
	} );
	await shopper.waitForTimeout( 500 );
	check( requests.filter( ( r ) => isRead( r.url ) && r.at > hiddenAt + 6000 ).length >= 1, 'reading resumes when the tab is visible again' );

	// A stranger with the session id and no token reads nothing.
	const strangerCtx = await browser.newContext();
	const stranger = await strangerCtx.newPage();
	await run.watch( stranger, { where: () => 'stranger', allow: ( r ) => r.status() === 403 && isRead( r.url() ) } );
	await stranger.goto( base + '/' );
	const probes = await stranger.evaluate( async ( [ s, t ] ) => {
		const url = window.aisleConfig.restUrl + 'chat/messages' + ( window.aisleConfig.restUrl.includes( '?' ) ? '&' : '?' ) + 'session_id=' + s + '&after=0';
		const out = [];
		for ( const h of [ {}, { 'X-Aisle-Session-Token': 'f'.repeat( 64 ) }, { 'X-Aisle-Session-Token': t.slice( 0, 63 ) + ( t[ 63 ] === '0' ? '1' : '0' ) } ] ) {
			const r = await fetch( url, { headers: h } );
			out.push( [ r.status, await r.text() ] );
		}
		sessionStorage.setItem( 'aisle_session', s ); // the widget itself, with the id but no token
		return out;
	}, [ sid, token ] );
	check( probes.every( ( [ st ] ) => st === 403 ), 'a stranger gets 403: ' + probes.map( ( p ) => p[ 0 ] ).join( ',' ) );
	check( probes.every( ( [ , b ] ) => ! /size M|Ana/.test( b ) ), 'and reads nothing' );
	await openWidget( stranger );
	await stranger.waitForTimeout( 1000 );
	check( ! /size M|Ana/.test( await stranger.textContent( '#aisle-panel' ) ), 'the widget with the id alone shows nothing of the conversation' );

	// Release: the assistant is back and answers.
	await staff.click( '#aisle-live-release' );
	await shopper.waitForSelector( '.aisle-msg.aisle-system:has-text("The assistant is here again")', { timeout: 15000 } );
	check( ( await shopper.textContent( '#aisle-title' ) ) !== 'Ana', 'the header is the store again' );
	const answer = await ask( shopper, 'Do you have a blue hoodie?' );
	check( ( await answer.locator( '.aisle-card' ).count() ) > 0, 'the assistant answers again, with product cards' );

	// A page load (what Add to cart does) restores the conversation, cards included.
	await shopper.goto( base + '/?restored=1' );
	await openWidget( shopper );
	await shopper.waitForSelector( '.aisle-msg.aisle-human', { timeout: 10000 } );
	const restored = await shopper.textContent( '#aisle-panel .aisle-log' );
	check( /question about sizes/.test( restored ) && /Hello, I am Ana/.test( restored ) && /size M/.test( restored ) && /blue hoodie/.test( restored ), 'the conversation is restored: ' + restored.slice( 0, 300 ) );
	check( ( await shopper.locator( '.aisle-log .aisle-card' ).count() ) > 0, 'with its product cards' );
	await shopper.screenshot( { path: dir + '/handoff-restored.png' } );
} finally {
	await run.finish( 'ok' );
}
