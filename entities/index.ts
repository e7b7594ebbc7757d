import { Event } from './event.entity';
import { Like, TalkSpeaker, TalkTopic } from './links.entity';
import { Speaker } from './speaker.entity';
import { Talk } from './talk.entity';
import { Topic } from './topic.entity';

export { Event, Like, Speaker, Talk, TalkSpeaker, TalkTopic, Topic };
export { Countable, Node } from './node.interface';

export const ENTITIES = [Event, Talk, Speaker, Topic, TalkSpeaker, TalkTopic, Like];
