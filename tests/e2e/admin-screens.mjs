// The Aisle admin in Chromium (issue 15): every tab and settings section opens from the tab bar
// and the section links by keyboard; the live preview follows the Appearance fields as they are
// typed (colours, position, title, welcome, launcher, avatar); a too-light accent is warned about
// next to the field and its text turns dark; the provider's fields hide with "None"; axe-core
// finds no serious or critical violation on any screen. Screenshots go to ARTIFACTS_DIR.
// Usage: node admin-screens.mjs BASE_URL USER PASSWORD ARTIFACTS_DIR [CONVERSATION_ID]
import { logIn, session } from './browser.mjs';
import { axeViolations } from './a11y.mjs';

const [ base, user, pass, dir, conversation ] = process.argv.slice( 2 );
const run = session( base );
const { check } = run;
const browser = await run.launch();

/** Injects axe-core and returns the serious and critical violations of the page as it is now. */
async function axe( page, what ) {
	const found = await axeViolations( page, '#aisle-admin' );
	check( found.length === 0, 'axe on ' + what + ': ' + found.join( '; ' ) );
	return found.length;
}

try {
	const page = await browser.newPage( { viewport: { width: 1280, height: 800 } } );
	await run.watch( page );
	await logIn( page, base, user, pass );

	// Tabs, opened by keyboard from the tab bar.
	await page.goto( base + '/wp-admin/admin.php?page=aisle' );
	const tabs = await page.$$eval( '#aisle-tabs a.nav-tab', ( as ) => as.map( ( a ) => a.id.replace( 'aisle-tab-', '' ) ) );
	check( JSON.stringify( tabs.slice( 0, 3 ) ) === '["overview","chats","leads"]' && tabs[ tabs.length - 1 ] === 'settings', 'tabs in order, Settings last: ' + tabs );
	let axeCount = 0;
	for ( const tab of tabs ) {
		await page.focus( '#aisle-tab-' + tab );
		await Promise.all( [ page.waitForNavigation(), page.keyboard.press( 'Enter' ) ] );
		check( ( await page.getAttribute( '#aisle-tab-' + tab, 'aria-current' ) ) === 'page', tab + ' opened by keyboard' );
		if ( tab === 'settings' ) {
			await page.waitForFunction( () => document.getElementById( 'aisle-key-source' ).textContent !== '' );
		}
		await page.screenshot( { path: dir + '/admin-tab-' + tab + '.png' } );
		axeCount += await axe( page, 'tab ' + tab );
	}
	if ( conversation ) {
		await page.goto( base + '/wp-admin/admin.php?page=aisle&tab=chats&conversation=' + conversation );
		check( await page.isVisible( '#aisle-transcript .aisle-cards' ) && await page.isVisible( '#aisle-transcript-order a' ), 'the transcript shows the cards and the order' );
		await page.screenshot( { path: dir + '/admin-transcript.png', fullPage: true } );
		axeCount += await axe( page, 'transcript' );
		// The chats list, filtered to chats with an order.
		await page.goto( base + '/wp-admin/admin.php?page=aisle&tab=chats' );
		await page.selectOption( '#aisle-chat-filter', 'order' );
		await Promise.all( [ page.waitForNavigation(), page.click( '#aisle-chat-filters button' ) ] );
		check( ( await page.locator( '#aisle-chats tr[data-conversation="' + conversation + '"] .aisle-flag-order' ).count() ) === 1, 'the filter keeps the chat with its order flag' );
		await page.screenshot( { path: dir + '/admin-chats-list.png' } );
		axeCount += await axe( page, 'chats list filtered' );
		// The Live view with that conversation open: the list, the transcript, the actions and the reply box.
		await page.goto( base + '/wp-admin/admin.php?page=aisle&tab=chats&view=live&conversation=' + conversation );
		await page.waitForSelector( '#aisle-live-list .aisle-live-item' );
		await page.waitForFunction( () => ! document.getElementById( 'aisle-live-conv' ).hidden && document.querySelectorAll( '#aisle-live-messages li' ).length > 1 );
		await page.screenshot( { path: dir + '/admin-live-view.png' } );
		axeCount += await axe( page, 'live view' );
	}

	// Overview: the period picker, and "Add to FAQ" opening a new FAQ entry with the question.
	await page.goto( base + '/wp-admin/admin.php?page=aisle&tab=overview&days=7' );
	check( ( await page.locator( '#aisle-chart rect' ).count() ) === 7, 'seven bars for seven days' );
	await Promise.all( [ page.waitForNavigation(), page.click( '#aisle-period-90' ) ] );
	check( ( await page.locator( '#aisle-chart rect' ).count() ) === 90, 'ninety bars for ninety days' );
	await Promise.all( [ page.waitForNavigation(), page.click( '#aisle-period-30' ) ] );
	await page.screenshot( { path: dir + '/admin-dashboard.png', fullPage: true } );
	axeCount += await axe( page, 'overview 30 days' );
	const add = page.locator( '#aisle-unanswered .aisle-add-faq' ).first();
	if ( await add.count() ) {
		const question = await page.locator( '#aisle-unanswered tbody tr td' ).first().textContent();
		await Promise.all( [ page.waitForNavigation(), add.click() ] );
		await page.waitForSelector( '#aisle-faq .aisle-faq-row' );
		const focus = await page.evaluate( () => document.activeElement ? document.activeElement.className + ' ' + location.href : '' );
		check( /aisle-faq-a/.test( focus ), 'the new answer field has the focus: ' + focus );
		const rows = await page.locator( '#aisle-faq .aisle-faq-q' ).evaluateAll( ( is ) => is.map( ( i ) => i.value ) );
		check( rows[ rows.length - 1 ] === question, 'Add to FAQ filled a new entry with the question: ' + JSON.stringify( rows ) );
		check( ! new URL( page.url() ).searchParams.has( 'faq_question' ), 'a reload does not add it twice' );
		await page.screenshot( { path: dir + '/admin-add-to-faq.png' } );
	} else {
		check( false, 'an unanswered question is listed on the Overview' );
	}

	// Settings sections, switched in place by keyboard; the address keeps the section.
	await page.goto( base + '/wp-admin/admin.php?page=aisle&tab=settings' );
	await page.waitForFunction( () => document.getElementById( 'aisle-key-source' ).textContent !== '' );
	for ( const section of [ 'assistant', 'appearance', 'ai', 'catalog', 'advanced' ] ) {
		await page.focus( '#aisle-section-link-' + section );
		await page.keyboard.press( 'Enter' );
		check( await page.isVisible( '#aisle-panel-' + section ), section + ' shown' );
		check( ( await page.$$eval( '.aisle-section', ( s ) => s.filter( ( x ) => ! x.hidden ).length ) ) === 1, 'one section at a time' );
		check( new URL( page.url() ).searchParams.get( 'section' ) === section, 'the address names ' + section );
		await page.screenshot( { path: dir + '/admin-settings-' + section + '.png' } );
		axeCount += await axe( page, 'settings ' + section );
	}

	// AI provider: None hides the provider's fields; each provider shows its own.
	await page.click( '#aisle-section-link-ai' );
	const shown = async () => ( await Promise.all( [ 'ai_base_url', 'ai_model', 'ai_api_key' ].map( async ( f ) => ( await page.isVisible( '#aisle-' + f ) ) ? f : null ) ) ).filter( Boolean ).join( ',' );
	await page.selectOption( '#aisle-ai_provider', 'none' );
	check( ( await shown() ) === '', 'None: no provider fields, got ' + ( await shown() ) );
	await page.selectOption( '#aisle-ai_provider', 'anthropic' );
	check( ( await shown() ) === 'ai_model,ai_api_key', 'Anthropic: model and key, got ' + ( await shown() ) );
	await page.selectOption( '#aisle-ai_provider', 'openai' );
	check( ( await shown() ) === 'ai_base_url,ai_model,ai_api_key', 'OpenAI-compatible: all three, got ' + ( await shown() ) );
	await page.selectOption( '#aisle-ai_provider', 'none' );

	// Live preview: what is typed shows at once, before any save.
	await page.click( '#aisle-section-link-appearance' );
	const frame = '#aisle-preview #aisle-root';
	await page.fill( '#aisle-welcome_message', 'Welcome to the preview shop!' );
	check( ( await page.textContent( '#aisle-preview-welcome' ) ) === 'Welcome to the preview shop!', 'welcome follows the field' );
	await page.fill( '#aisle-launcher_label', 'Ask Ada' );
	check( ( await page.textContent( '#aisle-preview-launcher' ) ) === 'Ask Ada', 'launcher label follows the field' );
	await page.fill( '#aisle-accent_color', '#1a7f37' );
	const colours = () => page.$eval( frame + ' .aisle-launcher', ( el ) => [ getComputedStyle( el ).backgroundColor, getComputedStyle( el ).color ] );
	check( JSON.stringify( await colours() ) === '["rgb(26, 127, 55)","rgb(255, 255, 255)"]', 'dark accent: white text, got ' + JSON.stringify( await colours() ) );
	check( ! ( await page.isVisible( '#aisle-accent-warning' ) ), 'no warning for a dark accent' );
	await page.selectOption( '#aisle-position', 'left' );
	const side = () => page.$eval( frame, ( el ) => {
		const f = el.parentElement.getBoundingClientRect();
		const r = el.getBoundingClientRect();
		return r.left - f.left < f.right - r.right ? 'left' : 'right';
	} );
	check( ( await side() ) === 'left', 'position left moves the preview left' );
	await page.selectOption( '#aisle-position', 'right' );
	check( ( await side() ) === 'right', 'position right moves it back' );
	await page.click( '#aisle-section-link-assistant' );
	await page.fill( '#aisle-store_name', 'Ada\'s Yarn' );
	await page.click( '#aisle-section-link-appearance' );
	check( ( await page.textContent( '#aisle-preview-title' ) ) === 'Ada\'s Yarn', 'title follows the store name' );
	// Avatar: a real image from the store shows; an address that serves no image says so.
	await page.fill( '#aisle-avatar_url', base + '/wp-admin/images/wordpress-logo.png' );
	await page.waitForFunction( () => document.getElementById( 'aisle-preview-avatar' ).complete && document.getElementById( 'aisle-preview-avatar' ).naturalWidth > 0 );
	check( await page.isVisible( '#aisle-preview-avatar' ), 'avatar previewed' );
	await page.screenshot( { path: dir + '/admin-live-preview.png' } );

	// Yellow accent: the warning appears next to the field as it changes, the text on it turns dark.
	await page.fill( '#aisle-accent_color', '#ffe14d' );
	check( await page.isVisible( '#aisle-accent-warning' ), 'a too-light accent is warned about' );
	check( /too light.*1\.\d:1.*3:1/.test( await page.textContent( '#aisle-accent-warning' ) ), 'the warning gives the ratio: ' + ( await page.textContent( '#aisle-accent-warning' ) ) );
	check( ( await page.getAttribute( '#aisle-accent_color', 'aria-describedby' ) ) === 'aisle-accent-warning', 'the field is described by the warning' );
	check( ( await colours() )[ 1 ] === 'rgb(29, 29, 31)', 'text on a yellow accent is dark, got ' + ( await colours() )[ 1 ] );
	await page.locator( '#aisle-accent_color' ).scrollIntoViewIfNeeded();
	await page.screenshot( { path: dir + '/admin-yellow-accent.png' } );
	axeCount += await axe( page, 'appearance with a yellow accent' );
	await page.fill( '#aisle-accent_color', '#2271b1' );
	check( ! ( await page.isVisible( '#aisle-accent-warning' ) ), 'the warning goes with a darker accent' );
	// Nothing here was saved: the preview is only a preview.
	console.log( 'axe: ' + axeCount + ' serious or critical violations over ' + ( tabs.length + 7 + ( conversation ? 3 : 0 ) ) + ' screens' );
} catch ( e ) {
	run.problems.push( 'exception: ' + e.message );
} finally {
	await run.finish( 'admin screens ok' );
}
