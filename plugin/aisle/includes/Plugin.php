<?php
/**
 * The single wiring point: decides whether the plugin can run and registers every concern.
 *
 * @package Aisle
 */

namespace Aisle\Plugin;

use Aisle\Plugin\Admin\AdminMenu;
use Aisle\Plugin\Admin\AdminPage;
use Aisle\Plugin\Admin\ChatsScreen;
use Aisle\Plugin\Admin\Dashboard;
use Aisle\Plugin\Admin\LeadsScreen;
use Aisle\Plugin\Admin\LiveChats;
use Aisle\Plugin\Admin\OrderAttributionAdmin;
use Aisle\Plugin\Catalog\CatalogSync;
use Aisle\Plugin\Catalog\ProductSearch;
use Aisle\Plugin\Catalog\WooAdapter;
use Aisle\Plugin\Chat\Assistant;
use Aisle\Plugin\Chat\Attribution;
use Aisle\Plugin\Chat\ChatController;
use Aisle\Plugin\Chat\Conversations;
use Aisle\Plugin\Chat\Handoff;
use Aisle\Plugin\Chat\HandoffNotifier;
use Aisle\Plugin\Chat\HandoffRoutes;
use Aisle\Plugin\Chat\Events;
use Aisle\Plugin\Chat\Leads;
use Aisle\Plugin\Chat\OrderLookup;
use Aisle\Plugin\Chat\Widget;
use Aisle\Plugin\Knowledge\StoreFacts;
use Aisle\Plugin\Licensing\LicenseManager;
use Aisle\Plugin\Privacy\Privacy;
use Aisle\Plugin\Privacy\Retention;
use Aisle\Plugin\Privacy\Secrets;

defined( 'ABSPATH' ) || exit;

final class Plugin {

	/** Called on plugins_loaded (priority 20, after WooCommerce at 10). */
	public static function boot(): void {
		load_plugin_textdomain( 'aisle', false, dirname( plugin_basename( AISLE_FILE ) ) . '/languages' );

		$missing = Requirements::missing();
		if ( $missing ) {
			// Refuse to run, Query Monitor style: explain in wp-admin, touch nothing else.
			( new Requirements( $missing ) )->register();
			return;
		}

		Installer::maybe_upgrade();

		$secrets  = new Secrets();
		$settings = new Settings();
		$license  = new LicenseManager( $secrets );
		$facts    = new StoreFacts( new WooAdapter(), $settings );
		$sync     = new CatalogSync( new WooAdapter(), $settings, $facts );

		$adapter       = new WooAdapter();
		$conversations = new Conversations( $settings );
		$leads         = new Leads( $conversations );
		$events        = new Events( $conversations );
		$assistant     = new Assistant( $settings, $secrets, $conversations, new ProductSearch( $adapter ), $adapter, new OrderLookup() );
		$channels      = new Channels\Config( $settings, $secrets );
		$inbox         = new Channels\Inbox( $channels, $conversations );
		$knowledge     = new Knowledge\KnowledgeBase();
		$handoff       = new Handoff( $settings, $conversations, new HandoffNotifier( $settings, $secrets ) );
		$agents        = new Feeds\Config( $settings );
		$llms          = new Feeds\LlmsTxt( $agents );
		$ucp           = new Feeds\Ucp( $agents );
		$generator     = new Feeds\Generator( $agents, $llms );

		foreach ( array(
			new Widget( $settings ),
			new ChatController( $settings, $assistant, $leads, $handoff ),
			new HandoffRoutes( $settings, $conversations, $handoff ),
			new LiveChats(),
			new Admin\StaffProfile(),
			new Retention(),
			new Channels\Webhook( $channels, $inbox ),
			new Channels\Replier( $channels, $inbox, $conversations, $assistant, $handoff ),
			new Channels\ChannelsScreen( $channels ),
			$generator,
			new Feeds\PublicFiles( $agents, $llms, $ucp ),
			$ucp,
			new Feeds\Abilities( $agents ),
			new Feeds\FeedsScreen( $agents, $llms, $generator ),
			new Privacy( $conversations, $leads ),
			new Attribution(),
			$events,
			new OrderAttributionAdmin( $conversations ),
			new AdminMenu(),
			new Dashboard( $events ),
			new ChatsScreen( $conversations, $leads, $events ),
			new LeadsScreen( $leads ),
			$license,
			$sync,
			new RestController( $settings, $secrets, $license, $sync, $facts ),
			$knowledge,
			new Knowledge\KnowledgeRoutes( $knowledge ),
			new Knowledge\KnowledgeScreen( $knowledge ),
			new AdminPage( $settings ),
		) as $concern ) {
			$concern->register();
		}
	}
}
