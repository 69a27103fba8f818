<?php
/**
 * @package AisleClassic
 */
?>
<aside class="widget-area"><h2>Sidebar</h2><ul><li><a href="<?php echo esc_url( home_url( '/' ) ); ?>">Home</a></li></ul>
<form><label>Newsletter <input type="email" placeholder="you@example.com"></label><textarea aria-label="Note"></textarea><button type="button">Subscribe</button></form></aside>
