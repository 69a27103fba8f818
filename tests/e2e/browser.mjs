// What every end-to-end script shares: Debian's Chromium started headless with the flags this
// closed network needs (never a downloaded browser), a page watched for console errors, page
// errors, dialogs and failed requests to the store, requests to other hosts refused (the test
// store is offline), and one way to end: print the problems and exit 1, or print "ok".
import { chromium } from 'playwright-core';

export function session( base, label = '' ) {
	const problems = [];
	const bodies = []; // Pending reads of 5xx bodies (WordPress's error page names the cause).
	const tag = label ? ` [${ label }]` : '';
	return {
		problems,
		check( ok, what ) {
			if ( ! ok ) {
				problems.push( `failed${ tag }: ${ what }` );
			}
			return ok;
		},
		async launch() {
			this.browser = await chromium.launch( {
				executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
				args: [ '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run' ],
			} );
			return this.browser;
		},
		/** Watches $page; allow( response ) returns true for an error status a script causes on purpose. */
		async watch( page, { allow = () => false, where = () => page.url() } = {} ) {
			page.on( 'console', ( m ) => {
				// Refused foreign requests show up as "Failed to load resource"; the store's own failures are judged on 'response'.
				if ( m.type() === 'error' && ! m.text().startsWith( 'Failed to load resource' ) ) {
					problems.push( `console error${ tag }: ${ m.text() } on ${ where() }` );
				}
			} );
			page.on( 'pageerror', ( e ) => problems.push( `page error${ tag }: ${ e.message } on ${ where() }` ) );
			page.on( 'dialog', ( d ) => {
				problems.push( `dialog opened (XSS?)${ tag }: ${ d.message() }` );
				d.dismiss();
			} );
			page.on( 'requestfailed', ( r ) => {
				// ERR_ABORTED is the browser's own cancel (a navigation, or the script closing the page
				// while a finished chat stream's connection is still open): not the store failing.
				if ( r.url().startsWith( base ) && r.failure()?.errorText !== 'net::ERR_ABORTED' ) {
					problems.push( `request failed${ tag }: ${ r.url() } (${ r.failure()?.errorText })` );
				}
			} );
			page.on( 'response', ( r ) => {
				if ( ! r.url().startsWith( base ) || r.status() < 400 || new URL( r.url() ).pathname === '/favicon.ico' || allow( r ) ) {
					return;
				}
				problems.push( `HTTP ${ r.status() }${ tag } for ${ r.request().method() } ${ r.url() }` );
				if ( r.status() >= 500 ) {
					bodies.push( r.text().then( ( t ) => problems.push( '  body: ' + t.replace( /<[^>]*>/g, ' ' ).replace( /\s+/g, ' ' ).slice( 0, 500 ) ) ).catch( () => {} ) );
				}
			} );
			await page.route( '**/*', ( route ) => ( route.request().url().startsWith( base ) ? route.continue() : route.abort() ) );
			return page;
		},
		/** Closes the browser, then exits 1 with the problems, or prints $okLine. */
		async finish( okLine = 'ok' ) {
			await Promise.all( bodies );
			await this.browser?.close();
			if ( problems.length ) {
				console.log( problems.join( '\n' ) );
				process.exit( 1 );
			}
			console.log( okLine );
		},
	};
}

/**
 * Logs in to wp-admin in this page (its cookies then belong to the page's context). It lands on the
 * comments screen, not the dashboard: every caller goes on to its own screen, and the dashboard
 * with WooCommerce's widgets is the heaviest page of wp-admin to wait for on a loaded machine (the
 * profile screen would do, but its language list asks the offline translations API, which logs a
 * warning). Done once the redirect has reached wp-admin: the cookies are set by then.
 */
export async function logIn( page, base, user, pass ) {
	await page.goto( base + '/wp-login.php?redirect_to=' + encodeURIComponent( base + '/wp-admin/edit-comments.php' ) );
	await page.fill( '#user_login', user );
	await page.fill( '#user_pass', pass );
	await Promise.all( [
		page.waitForURL( ( u ) => u.pathname.endsWith( '/wp-admin/edit-comments.php' ), { waitUntil: 'commit', timeout: 60000 } ),
		page.click( '#wp-submit' ),
	] );
}
