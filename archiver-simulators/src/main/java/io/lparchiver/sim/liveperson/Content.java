package io.lparchiver.sim.liveperson;

import java.util.List;

/** Fixed text the generator draws from; varied enough that transcripts read like real ones. */
final class Content {
  private Content() {}

  record Topic(
      String opener,
      String reply,
      String followUp,
      String resolution,
      String thanks,
      String summary) {}

  record Name(String first, String last) {}

  static final List<Topic> TOPICS =
      List.of(
          new Topic(
              "Hi, I was charged twice for my last order.",
              "Sorry about that! Let me look at your account.",
              "The second charge was on the 3rd.",
              "I have refunded the duplicate charge; it shows within 5 business days.",
              "Thanks for sorting that out.",
              "Duplicate charge refunded."),
          new Topic(
              "I can't log in, the password reset email never arrives.",
              "I can help with that. Which email address do you use to sign in?",
              "The same one as on my account, I checked the spam folder too.",
              "I've triggered a new reset link and whitelisted it; please check again.",
              "Got it, I'm in now.",
              "Password reset resent, customer logged in."),
          new Topic(
              "Where is my parcel? Tracking hasn't moved for a week.",
              "Let me check with the carrier for you.",
              "Order number is 100-2345-77.",
              "The carrier lost the scan; a replacement ships today by express.",
              "Great, thank you!",
              "Replacement parcel shipped express."),
          new Topic(
              "I'd like to upgrade my plan to the family bundle.",
              "Happy to help. The family bundle is 39.99 a month for up to 5 lines.",
              "Does it keep my current number?",
              "Yes, your number stays. The upgrade is active from the next billing cycle.",
              "Perfect, please go ahead.",
              "Upgraded to family bundle from next cycle."),
          new Topic(
              "My card was stolen, please block it.",
              "I'm sorry to hear that. I'm blocking the card right now.",
              "The last purchase I made was yesterday at the supermarket.",
              "The card is blocked and a new one is on its way; no charges after yesterday.",
              "Thank you, that's a relief.",
              "Card blocked, replacement ordered."));

  static final List<Name> CONSUMERS =
      List.of(
          new Name("Jo", "Doe"),
          new Name("Maria", "Garcia"),
          new Name("Liam", "O'Brien"),
          new Name("Priya", "Shah"),
          new Name("Tom", "Becker"),
          new Name("Aiko", "Tanaka"),
          new Name("Sam", "Okafor"),
          new Name("Lena", "Novak"),
          new Name("Noah", "Klein"),
          new Name("Fatima", "Haddad"));

  /** Untrusted names that must be escaped or encoded wherever they end up. */
  static final List<Name> HOSTILE_CONSUMERS =
      List.of(
          new Name("<script>alert(\"x\")</script>", "Smith"),
          new Name("Jo\r\nBcc: x@evil", "Doe"),
          new Name("Zoë", "Ñúñez"),
          new Name("山田", "太郎"));

  static final List<Name> AGENTS =
      List.of(
          new Name("Ann", "Lee"),
          new Name("Bob", "Stone"),
          new Name("Helper", "Bot"),
          new Name("Carla", "Diaz"),
          new Name("Dev", "Patel"),
          new Name("Fay", "Ng"),
          new Name("Gus", "Moreau"),
          new Name("Hana", "Kim"),
          new Name("Ivan", "Petrov"),
          new Name("Jade", "Wong"));

  /** Appears in conversations, absent from the Users API. */
  static final Name UNLISTED_AGENT = new Name("Eve", "Marsh");

  static final String EMOJI_TEXT = "Great 👍🎉 merci, ça marche! 🙏";

  static final String SUSPICIOUS_AGENT_TEXT =
      "Glad to help <b>not bold</b> & <script>alert('x')</script> \"quoted\"";

  static final String HTML_TEXT =
      "<p>Your <b>refund</b> of <i>$42.00</i> is on its way. See our"
          + " <a href=\"https://brand.example/refunds\">refund policy</a>.</p>";
}
